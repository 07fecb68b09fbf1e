"""The Python client's upload_folder against the emulator, for docs/PERFORMANCE.md.

    PYTHONPATH=/work/shared/peers/huggingface_hub_src/src:/work/shared/peers \
    HF_HUB_DISABLE_XET=1 python3 upload_folder.py ENDPOINT TOKEN SPACE DIR
"""
import resource
import sys
import time

from huggingface_hub import HfApi

endpoint, token, space, folder = sys.argv[1:5]
api = HfApi(endpoint=endpoint, token=token)
start = time.time()
api.create_repo(space, repo_type="space", space_sdk="static", exist_ok=True)
info = api.upload_folder(folder_path=folder, repo_id=space, repo_type="space", commit_message="bench")
elapsed = time.time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"python upload_folder: {elapsed:.2f}s commit={info.oid} peakRSS={rss} kB")
