# The scoring contract (core/contract): request and response bodies, the PNG checked with numpy.
medvae_add_test(tst_scoring_contract SOURCES contract/tst_scoring_contract.cpp LIBS medvae_contract medvae_io)
target_include_directories(tst_scoring_contract PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/contract)
