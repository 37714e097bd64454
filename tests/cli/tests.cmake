# medvae-cli batch as job arrays run it: the shard lock and `manifest merge` on real outputs
# (fast), and the whole array on a one-node Slurm cluster from Debian's packages (heavy; reports
# itself skipped, exit 77, where Slurm cannot run, e.g. not root).
add_test(NAME batch_shards
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_batch_shards.py $<TARGET_FILE:medvae-cli>)
set_tests_properties(batch_shards PROPERTIES LABELS fast TIMEOUT 180)
# The programs slurm_array runs (it finds them on PATH and in /usr/sbin itself): named here so
# that external_programs checks packaging/install-deps.sh installs them.
find_program(MEDVAE_SLURM_MUNGED munged PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SLURMCTLD slurmctld PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SLURMD slurmd PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SBATCH sbatch PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SQUEUE squeue PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SCANCEL scancel PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SCONTROL scontrol PATHS /usr/sbin /sbin)
find_program(MEDVAE_SLURM_SINFO sinfo PATHS /usr/sbin /sbin)
add_test(NAME slurm_array
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_slurm_array.py $<TARGET_FILE:medvae-cli>
          ${PROJECT_SOURCE_DIR}/packaging/slurm/medvae-batch.sbatch)
set_tests_properties(slurm_array PROPERTIES LABELS heavy TIMEOUT 240 SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
add_test(NAME kubernetes_manifest
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_indexed_job.py
          ${PROJECT_SOURCE_DIR}/packaging/kubernetes/medvae-batch-job.yaml --self-test)
set_tests_properties(kubernetes_manifest PROPERTIES LABELS fast TIMEOUT 60)
# medvae-cli decode --interpolate / --edit against an independent numpy reference.
medvae_add_test(tst_latent_decode SOURCES cli/tst_latent_decode.cpp engine/fixture_data.cpp LIBS medvae_engine medvae_io)
add_dependencies(tst_latent_decode medvae-cli)
target_compile_definitions(tst_latent_decode PRIVATE
  MEDVAE_LATENT_REFERENCE="${CMAKE_CURRENT_SOURCE_DIR}/cli/latent_reference.py")
