# The batch pipeline: inputs, output files, the manifest, bounded stage queues, the pipeline.
target_sources(medvae_jobs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/batch_inputs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_manifest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_outputs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_pipeline.cpp)
