# (filled as this part lands: target_sources(medvae_jobs PRIVATE ...))
