# Batch export: the Hugging Face cache lookup, the pipeline and `medvae-cli batch`.
medvae_add_test(tst_hf_cache SOURCES jobs/tst_hf_cache.cpp LIBS medvae_io)
