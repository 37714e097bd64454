# The batch pipeline: inputs, output files, the manifest, bounded stage queues, the pipeline, and
# a run of it on its own thread for the app.
target_sources(medvae_jobs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/batch_inputs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_manifest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_outputs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_pipeline.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/manifest_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shard_lock.cpp)
