# Image views: colormaps, window/level rendering, mouse interaction, view sync, compare and latent panels.
medvae_add_test(tst_views SOURCES ui/tst_views.cpp LIBS medvae_ui_views medvae_jobs medvae_imaging medvae_io)
