# The batch fidelity report (medvae-cli report): its numbers against the manifests' computed in
# Python, hostile manifests, real batches of the demo model, 10,000 items; and the page in a real
# headless browser (skipped, exit 77, where chromium is not installed).
add_test(NAME report_cli
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/report/test_report.py $<TARGET_FILE:medvae-cli>
          /usr/lib/python3/dist-packages/pydicom/data/test_files)
set_tests_properties(report_cli PROPERTIES LABELS fast TIMEOUT 900)
find_program(MEDVAE_CHROMIUM NAMES chromium chromium-browser)
add_test(NAME report_browser
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/report/test_report_browser.py $<TARGET_FILE:medvae-cli>)
set_tests_properties(report_browser PROPERTIES LABELS fast TIMEOUT 300 SKIP_RETURN_CODE 77)
# The Batch panel's Report button: a real run with the demo model, then the report written in a
# medvae-cli process.
medvae_add_test(tst_report_panel SOURCES report/tst_report_panel.cpp LIBS medvae_ui_batch medvae_jobs)
add_dependencies(tst_report_panel medvae-cli)
target_compile_definitions(tst_report_panel PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
