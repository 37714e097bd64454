#!/bin/sh
# The model card's curl example, verbatim apart from where the variables come from:
# API_KEY, ENDPOINT_URL, DEPLOYMENT_NAME and IMAGE_URL (a URL or a base64 image) from the
# environment; IMAGE_FILE, when set, is read into IMAGE_URL as base64.
set -e
if [ -n "$IMAGE_FILE" ]; then IMAGE_URL="$(base64 -w0 "$IMAGE_FILE")"; fi

curl -sS -X POST "$ENDPOINT_URL" \
-H "Authorization: Bearer $API_KEY" \
-H "Content-Type: application/json" \
-H "azureml-model-deployment: $DEPLOYMENT_NAME" \
-d '{
  "input_data": {
    "columns": ["image_path", "decode"],
    "data": [
      [
        "'"$IMAGE_URL"'",
        true
      ]
    ]
  }
}'
