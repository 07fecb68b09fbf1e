# Checks of the official Python client (huggingface_hub) against the emulator:
# each assert is something the client sees against the Hub. Run by
# TestOfficialPythonClient (pyclient_test.go).
from huggingface_hub import HfApi

api = HfApi()

me = api.whoami()
assert me["name"] == "demo", me

rt = api.get_space_runtime("demo/gradio-app")
assert rt.stage == "RUNNING", rt
assert rt.hardware == "cpu-basic", rt

print("python client: spaces checks passed")
