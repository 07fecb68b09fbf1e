// Drives the official JavaScript client (@huggingface/hub) against the
// emulator's repositories at $HF_ENDPOINT: create with inline files,
// uploadFiles (a 12 MB file through LFS multipart, falling back from Xet),
// listFiles, downloadFile, fileExists, listCommits, a pull request, delete.
// Throws on the first answer it does not like. Run by
// TestOfficialJavaScriptClient.
import * as hub from "@huggingface/hub";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

const hubUrl = process.env.HF_ENDPOINT;
const accessToken = "hf_demo_write";
const repo = { type: "space", name: "demo/js-repo" };

await hub.createRepo({
  hubUrl, accessToken, repo, sdk: "static", visibility: "private",
  files: [{ path: "notes/created.txt", content: new Blob(["made at creation\n"]) }],
});
const info = await hub.spaceInfo({ hubUrl, accessToken, name: repo.name, additionalFields: ["runtime"] });
assert.equal(info.private, true);
assert.equal(info.runtime.stage, "RUNNING");
await assert.rejects(hub.spaceInfo({ hubUrl, name: repo.name }));

const big = randomBytes(12 * 1024 * 1024);
const files = {
  "README.md": Buffer.from("---\ntitle: JS repo\nsdk: static\n---\n"),
  "index.html": Buffer.from("<h1>Hello from JS</h1>\n"),
  "assets/big.bin": big,
  "assets/tiny.bin": Buffer.from([0, 1, 2, 3]),
  "empty.txt": Buffer.alloc(0),
};
const up = await hub.uploadFiles({
  hubUrl, accessToken, repo, commitTitle: "Deploy from JS",
  files: Object.entries(files).map(([path, content]) => ({ path, content: new Blob([content]) })),
});
assert.match(up.commit.oid, /^[0-9a-f]{40}$/);

const listed = [];
for await (const f of hub.listFiles({ hubUrl, accessToken, repo, recursive: true })) {
  listed.push(f);
}
const paths = listed.filter((f) => f.type === "file").map((f) => f.path).sort();
assert.deepEqual(paths, [".gitattributes", "README.md", "assets/big.bin", "assets/tiny.bin", "empty.txt", "index.html", "notes/created.txt", "style.css"]);
const bigEntry = listed.find((f) => f.path === "assets/big.bin");
assert.equal(bigEntry.size, big.length);
assert.equal(bigEntry.lfs.size, big.length);
assert.match(bigEntry.lfs.oid, /^[0-9a-f]{64}$/);
const sub = [];
for await (const f of hub.listFiles({ hubUrl, accessToken, repo, path: "assets" })) {
  sub.push(f.path);
}
assert.deepEqual(sub.sort(), ["assets/big.bin", "assets/tiny.bin"]);

for (const [path, content] of Object.entries(files)) {
  const blob = await hub.downloadFile({ hubUrl, accessToken, repo, path });
  assert.ok(blob, path);
  assert.ok(Buffer.from(await blob.arrayBuffer()).equals(content), path);
}
assert.equal(await hub.downloadFile({ hubUrl, accessToken, repo, path: "nope.txt" }), null);
assert.equal(await hub.fileExists({ hubUrl, accessToken, repo, path: "index.html" }), true);
assert.equal(await hub.fileExists({ hubUrl, accessToken, repo, path: "nope.txt" }), false);
const dl = await hub.fileDownloadInfo({ hubUrl, accessToken, repo, path: "assets/big.bin" });
assert.equal(dl.size, big.length);

const commits = [];
for await (const c of hub.listCommits({ hubUrl, accessToken, repo })) {
  commits.push(c);
}
assert.equal(commits[0].oid, up.commit.oid);
assert.equal(commits[0].title, "Deploy from JS");
assert.equal(commits.at(-1).title, "initial commit");

const pr = await hub.commit({
  hubUrl, accessToken, repo, title: "Proposal", isPullRequest: true,
  operations: [{ operation: "addOrUpdate", path: "pr.txt", content: new Blob(["pr\n"]) }],
});
assert.match(pr.pullRequestUrl, /\/discussions\/1$/);
assert.equal(await hub.fileExists({ hubUrl, accessToken, repo, path: "pr.txt" }), false);
assert.equal(await hub.fileExists({ hubUrl, accessToken, repo, path: "pr.txt", revision: "refs/pr/1" }), true);

await hub.deleteFile({ hubUrl, accessToken, repo, path: "assets/tiny.bin" });
assert.equal(await hub.fileExists({ hubUrl, accessToken, repo, path: "assets/tiny.bin" }), false);

await hub.deleteRepo({ hubUrl, accessToken, repo });
assert.equal(await hub.repoExists({ hubUrl, accessToken, repo }), false);
console.log("ok");
