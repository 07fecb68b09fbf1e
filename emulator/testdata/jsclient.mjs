// Drives the official JavaScript client (@huggingface/hub) against an
// emulator at $HF_ENDPOINT; throws on the first answer it does not like.
// Run by TestOfficialJavaScriptClient.
import * as hub from "@huggingface/hub";
import assert from "node:assert/strict";

const hubUrl = process.env.HF_ENDPOINT;
const accessToken = "hf_demo_write";
const repo = { type: "space", name: "demo/js-space" };

const me = await hub.whoAmI({ hubUrl, accessToken });
assert.equal(me.name, "demo");
assert.equal(me.auth.accessToken.role, "write");

const spaces = [];
for await (const s of hub.listSpaces({ hubUrl, accessToken, search: { owner: "demo" }, additionalFields: ["runtime"] })) {
  spaces.push(s);
}
assert.deepEqual(spaces.map((s) => s.name), ["demo/broken-build", "demo/gpu-app", "demo/gradio-app", "demo/static-site"]);
assert.ok(spaces.every((s) => s.updatedAt instanceof Date && s.runtime.stage));

const info = await hub.spaceInfo({ hubUrl, accessToken, name: "demo/gradio-app", additionalFields: ["runtime"] });
assert.equal(info.sdk, "gradio");
assert.equal(info.runtime.stage, "RUNNING");

await hub.createRepo({ hubUrl, accessToken, repo, sdk: "gradio" });
await assert.rejects(hub.createRepo({ hubUrl, accessToken, repo, sdk: "gradio" }), /already created/);
const up = await hub.uploadFile({ hubUrl, accessToken, repo, file: { path: "app.py", content: new Blob(["print('hi')\n"]) }, useXet: false });
assert.match(up.commit.oid, /^[0-9a-f]{40}$/);
assert.ok(await hub.fileExists({ hubUrl, accessToken, repo, path: "app.py" }) !== undefined);
assert.equal(await hub.repoExists({ hubUrl, accessToken, repo }), true);
await hub.deleteRepo({ hubUrl, accessToken, repo });
assert.equal(await hub.repoExists({ hubUrl, accessToken, repo }), false);

await assert.rejects(hub.spaceInfo({ hubUrl, name: "other/private-space" }));
await assert.rejects(hub.whoAmI({ hubUrl, accessToken: "hf_not_a_token" }), /Invalid credentials/);
console.log("ok");
