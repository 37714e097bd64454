# The app's inference worker thread (it owns the backends; the engine gate orders the view's and
# the batch's calls) and checkpoint downloads into the Hugging Face cache.
target_sources(medvae_jobs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/engine_gate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gated_backend.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inference_worker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_downloader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/opened_entries.cpp)
