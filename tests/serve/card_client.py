"""The model card's curl request and process_medvae_output client, re-implemented with urllib.

Usage: card_client.py SCORING_URI KEY DEPLOYMENT IMAGE_FIELD OUTPUT_PATH
IMAGE_FIELD is a file to send as base64, or an http(s) URL passed through unchanged.
"""
import base64
import json
import os
import sys
import urllib.request

import numpy as np
from PIL import Image


def process_medvae_output(result, output_path):
    """The card's client, unchanged in logic."""
    if not output_path:
        return
    if 'predictions' in result:
        result = result['predictions']
    if isinstance(result, list) and len(result) > 0:
        result = result[0]
    output_dir = os.path.dirname(output_path)
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
    base_output_path = os.path.splitext(output_path)[0]
    if "latent" in result:
        latent_path = f"{base_output_path}_latent.npy"
        np.save(latent_path, np.array(result['latent']))
        print(f"Latent vector saved to: {latent_path}")
    if "decoded" in result:
        decoded_image_path = f"{base_output_path}_decoded.png"
        decoded_array = np.array(result['decoded'])
        if decoded_array.ndim == 3 and decoded_array.shape[0] in [1, 3]:
            decoded_array = np.transpose(decoded_array, (1, 2, 0))
        decoded_array = ((decoded_array - decoded_array.min()) /
                         (decoded_array.max() - decoded_array.min()) * 255)
        img = Image.fromarray(decoded_array.astype(np.uint8).squeeze())
        img.save(decoded_image_path)
        print(f"Decoded image saved to: {decoded_image_path}")


def main():
    uri, key, deployment, image, output = sys.argv[1:6]
    if not image.startswith(("http://", "https://")):
        with open(image, "rb") as f:
            image = base64.b64encode(f.read()).decode("ascii")
    payload = {"input_data": {"columns": ["image_path", "decode"], "data": [[image, True]]}}
    request = urllib.request.Request(uri, data=json.dumps(payload).encode(), method="POST", headers={
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "azureml-model-deployment": deployment,
    })
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.loads(response.read())
    process_medvae_output(result, output)
    decoded = np.array(result["predictions"][0]["decoded"])
    print("decoded", decoded.dtype.kind, decoded.shape, int(decoded.min()), int(decoded.max()))


if __name__ == "__main__":
    main()
