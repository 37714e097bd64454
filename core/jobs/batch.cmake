# The batch pipeline: inputs, bounded stage queues, the pipeline itself.
target_sources(medvae_jobs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/batch_inputs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_pipeline.cpp)
