# The interactive inference worker thread and checkpoint downloads into the Hugging Face cache.
target_sources(medvae_jobs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/inference_worker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_downloader.cpp)
