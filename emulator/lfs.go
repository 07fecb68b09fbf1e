package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The LFS batch API (git-lfs's, with the Hub's multipart transfer), as the
// official clients use it (../shared/WIRE-REPOS.md §7):
//
//	POST /spaces/{id}.git/info/lfs/objects/batch   which objects to send, and where
//	PUT  /lfs/upload/{oid}                          basic transfer: the whole object
//	PUT  /lfs/part/{oid}/{n}                        multipart: part n, answered with an ETag
//	POST /lfs/complete/{oid}                        multipart: assemble the parts
//	POST /spaces/{id}.git/info/lfs/objects/verify   the object is stored
//	GET  /lfs/objects/{oid}                         the content (where resolve redirects)
//
// The transfer URLs stand for a storage service's presigned URLs: they
// carry no token but a signature of what they allow, valid for an hour
// (signedURL). Every object is checked against its SHA-256 and size
// before it is stored; an object is stored once for every Space.

// lfsChunkSize is the part size of a multipart transfer, which objects
// larger than it take.
const lfsChunkSize = 8 << 20

// lfsURLLifetime is how long a transfer URL is valid.
const lfsURLLifetime = time.Hour

func (e *Emulator) lfsRoutes() {
	const repo = "/spaces/{namespace}/{repo}/info/lfs/objects"
	e.route("POST "+repo+"/batch", "lfs-batch", e.handleLFSBatch)
	e.route("POST "+repo+"/verify", "lfs-verify", e.handleLFSVerify)
	e.route("PUT /lfs/upload/{oid}", "lfs-upload", e.handleLFSUpload)
	e.route("PUT /lfs/part/{oid}/{part}", "lfs-upload", e.handleLFSPart)
	e.route("POST /lfs/complete/{oid}", "lfs-upload", e.handleLFSComplete)
	e.route("GET /lfs/objects/{oid}", "lfs-download", e.handleLFSDownload)
}

// lfsRepoID is the Space id of an LFS route: {namespace}/{name}.git.
func lfsRepoID(r *http.Request) (string, bool) {
	name, ok := strings.CutSuffix(r.PathValue("repo"), ".git")
	return r.PathValue("namespace") + "/" + name, ok
}

// signature signs what a transfer URL allows.
func (e *Emulator) signature(purpose, oid string, size int64, repo string, exp int64) string {
	m := hmac.New(sha256.New, e.git.signKey)
	fmt.Fprintf(m, "%s\n%s\n%d\n%s\n%d", purpose, oid, size, repo, exp)
	return hex.EncodeToString(m.Sum(nil))
}

// signedURL is a transfer URL: purpose is upload, part, complete or
// download.
func (e *Emulator) signedURL(r *http.Request, purpose, oid string, size int64, repo string, extra url.Values) string {
	exp := e.clock.Now().Add(lfsURLLifetime).Unix()
	q := url.Values{}
	for k, v := range extra {
		q[k] = v
	}
	q.Set("size", strconv.FormatInt(size, 10))
	q.Set("repo", repo)
	q.Set("expires", strconv.FormatInt(exp, 10))
	q.Set("signature", e.signature(purpose, oid, size, repo, exp))
	p := map[string]string{"upload": "/lfs/upload/", "complete": "/lfs/complete/", "download": "/lfs/objects/"}[purpose] + oid
	if purpose == "part" {
		p = "/lfs/part/" + oid + "/" + extra.Get("part")
		q.Del("part")
	}
	return baseURL(r) + p + "?" + q.Encode()
}

// checkSigned verifies a transfer URL and returns the object's size.
func (e *Emulator) checkSigned(r *http.Request, purpose string) (oid string, size int64, err error) {
	q := r.URL.Query()
	oid = r.PathValue("oid")
	size, err1 := strconv.ParseInt(q.Get("size"), 10, 64)
	exp, err2 := strconv.ParseInt(q.Get("expires"), 10, 64)
	sig := e.signature(purpose, oid, size, q.Get("repo"), exp)
	if err1 != nil || err2 != nil || !hmac.Equal([]byte(sig), []byte(q.Get("signature"))) {
		return "", 0, errorf(http.StatusForbidden, "Invalid signature: this URL was not issued by the LFS batch API")
	}
	if e.clock.Now().Unix() > exp {
		return "", 0, errorf(http.StatusForbidden, "Request has expired: ask the LFS batch API for a new URL")
	}
	return oid, size, nil
}

// handleLFSBatch answers the batch API: for an upload, per object, no
// actions when it is already stored, else where to send it (basic, or
// multipart above lfsChunkSize) and how to verify it; for a download,
// where to get it.
func (e *Emulator) handleLFSBatch(w http.ResponseWriter, r *http.Request) {
	id, ok := lfsRepoID(r)
	if !ok {
		fail(w, http.StatusNotFound, "", "Sorry, we can't find the page you are looking for.")
		return
	}
	var req struct {
		Operation string   `json:"operation"`
		Transfers []string `json:"transfers"`
		HashAlgo  *string  `json:"hash_algo"`
		Ref       *struct {
			Name string `json:"name"`
		} `json:"ref"`
		Objects []struct {
			Oid  string `json:"oid"`
			Size int64  `json:"size"`
		} `json:"objects"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if req.Operation != "upload" && req.Operation != "download" {
		fail(w, http.StatusUnprocessableEntity, "", `Invalid operation: want "upload" or "download"`)
		return
	}
	// Python says sha256, JavaScript sha_256.
	if req.HashAlgo != nil && *req.HashAlgo != "sha256" && *req.HashAlgo != "sha_256" {
		fail(w, http.StatusConflict, "", fmt.Sprintf("Unsupported hash algorithm %q: want sha256", *req.HashAlgo))
		return
	}
	if len(req.Objects) > 1000 {
		fail(w, http.StatusUnprocessableEntity, "", "Too many objects in one batch: at most 1000")
		return
	}
	upload := req.Operation == "upload"
	// An upload without a ref opens a pull request: whoever sees the Space
	// may. With a ref it needs write access, but to a pull request's.
	need := accessRead
	forPR := true
	if upload && req.Ref != nil && !prRef.MatchString(req.Ref.Name) {
		need, forPR = accessWrite, false
	}
	err := e.locked(r, id, need, func(s *space, now time.Time) error {
		if upload && forPR {
			if err := e.authorizePR(callerOf(r), &s.rec); err != nil {
				return err
			}
		}
		if upload && req.Ref != nil {
			if _, err := e.resolveRev(&s.rec, req.Ref.Name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	multipart := false
	objects := make([]obj, 0, len(req.Objects))
	for _, o := range req.Objects {
		out := obj{{"oid", o.Oid}, {"size", o.Size}}
		if !sha256Re.MatchString(o.Oid) || o.Size < 0 {
			objects = append(objects, append(out, kv{"error", obj{{"code", 422}, {"message", "Invalid object: oid must be a SHA-256 in hex and size a number of bytes"}}}))
			continue
		}
		size, stored := e.lfsOwned(id, o.Oid)
		if !upload {
			// Downloads: any object of the Space's files, too.
			size, stored = e.git.has("lfs", o.Oid)
		}
		exp := hubTime(e.clock.Now().Add(lfsURLLifetime))
		if !upload {
			if !stored {
				objects = append(objects, append(out, kv{"error", obj{{"code", 404}, {"message", "Object does not exist"}}}))
				continue
			}
			objects = append(objects, append(out, kv{"authenticated", true}, kv{"actions", obj{{"download", obj{
				{"href", e.signedURL(r, "download", o.Oid, size, id, nil)}, {"expires_at", exp},
			}}}}))
			continue
		}
		if stored {
			if size != o.Size {
				objects = append(objects, append(out, kv{"error", obj{{"code", 422}, {"message", fmt.Sprintf("Size mismatch: the object stored has %d bytes", size)}}}))
				continue
			}
			objects = append(objects, append(out, kv{"authenticated", true}))
			continue
		}
		var up obj
		if o.Size > lfsChunkSize {
			multipart = true
			header := obj{{"chunk_size", strconv.Itoa(lfsChunkSize)}}
			parts := (o.Size + lfsChunkSize - 1) / lfsChunkSize
			for n := int64(1); n <= parts; n++ {
				header = append(header, kv{fmt.Sprintf("%05d", n), e.signedURL(r, "part", o.Oid, o.Size, id, url.Values{"part": {strconv.FormatInt(n, 10)}})})
			}
			up = obj{{"href", e.signedURL(r, "complete", o.Oid, o.Size, id, nil)}, {"header", header}, {"expires_at", exp}}
		} else {
			up = obj{{"href", e.signedURL(r, "upload", o.Oid, o.Size, id, nil)}, {"expires_at", exp}}
		}
		verify := obj{{"href", baseURL(r) + "/spaces/" + id + ".git/info/lfs/objects/verify"}}
		objects = append(objects, append(out, kv{"authenticated", true}, kv{"actions", obj{{"upload", up}, {"verify", verify}}}))
	}
	transfer := "basic"
	if multipart {
		transfer = "multipart"
	}
	body, err := marshal(obj{{"transfer", transfer}, {"objects", objects}, {"hash_algo", "sha256"}})
	if err != nil {
		failErr(w, err)
		return
	}
	writeBody(w, http.StatusOK, "application/vnd.git-lfs+json", body)
}

// An LFS object is stored once, but a Space may use only the objects
// uploaded for it (or already in its files): a marker object per Space and
// object records the upload, as the Hub's per-repository storage would.
func lfsMarker(repo, oid string) string {
	s := sha256.Sum256([]byte(repo + "\n" + oid))
	return hex.EncodeToString(s[:])
}

// lfsOwned reports whether an object was uploaded for the Space, and its
// size.
func (e *Emulator) lfsOwned(repo, oid string) (int64, bool) {
	size, stored := e.git.has("lfs", oid)
	if !stored {
		return 0, false
	}
	if _, ok := e.git.has("lfsref", lfsMarker(repo, oid)); !ok {
		return size, false
	}
	return size, true
}

// markLFS records that an object was uploaded for the Space, durably.
func (e *Emulator) markLFS(repo, oid string) error {
	return e.git.put("lfsref", lfsMarker(repo, oid), []byte(oid))
}

// storeLFS reads an object from body and stores it if its SHA-256 and
// size are right.
func (e *Emulator) storeLFS(oid string, size int64, body io.Reader) error {
	w, err := e.git.create("lfs")
	if err != nil {
		return err
	}
	defer w.abort()
	if _, err := io.Copy(w, io.LimitReader(body, size+1)); err != nil {
		var a *apiError
		if errors.As(err, &a) {
			return a
		}
		return errorf(http.StatusBadRequest, "Could not read the object: %v", err)
	}
	if w.n != size {
		return errorf(http.StatusBadRequest, "Size mismatch: received %d bytes, the batch announced %d", w.n, size)
	}
	if got := w.sum(); got != oid {
		return errorf(http.StatusBadRequest, "Checksum mismatch: the content's SHA-256 is %s, not %s", got, oid)
	}
	return w.commit(oid)
}

// handleLFSUpload stores an object sent whole (basic transfer).
func (e *Emulator) handleLFSUpload(w http.ResponseWriter, r *http.Request) {
	oid, size, err := e.checkSigned(r, "upload")
	if err == nil {
		err = e.storeLFS(oid, size, r.Body)
	}
	if err == nil {
		err = e.markLFS(r.URL.Query().Get("repo"), oid)
	}
	if err != nil {
		failErr(w, err)
		return
	}
	w.Header().Set("ETag", `"`+oid+`"`)
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", nil)
}

// handleLFSPart stores part n of a multipart transfer and answers with the
// ETag the completion must list for it.
func (e *Emulator) handleLFSPart(w http.ResponseWriter, r *http.Request) {
	oid, size, err := e.checkSigned(r, "part")
	if err != nil {
		failErr(w, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("part"))
	parts := int((size + lfsChunkSize - 1) / lfsChunkSize)
	if err != nil || n < 1 || n > parts {
		fail(w, http.StatusBadRequest, "", fmt.Sprintf("Invalid part number: want 1 to %d", parts))
		return
	}
	want := int64(lfsChunkSize)
	if n == parts {
		want = size - int64(parts-1)*lfsChunkSize
	}
	sum, err := e.git.writePart(oid, size, n, int64(n-1)*lfsChunkSize, want, r.Body)
	if err != nil {
		failErr(w, err)
		return
	}
	w.Header().Set("ETag", `"`+sum+`"`)
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", nil)
}

// handleLFSComplete checks the parts of a multipart transfer against their
// ETags and the whole against its SHA-256, and stores the object.
func (e *Emulator) handleLFSComplete(w http.ResponseWriter, r *http.Request) {
	oid, size, err := e.checkSigned(r, "complete")
	if err != nil {
		failErr(w, err)
		return
	}
	var req struct {
		Oid   string    `json:"oid"`
		Parts []partRef `json:"parts"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	parts := int((size + lfsChunkSize - 1) / lfsChunkSize)
	if req.Oid != oid || len(req.Parts) != parts {
		fail(w, http.StatusBadRequest, "", fmt.Sprintf("Invalid completion: want oid %s and its %d parts", oid, parts))
		return
	}
	err = e.git.completeParts(oid, size, req.Parts)
	if err == nil {
		err = e.markLFS(r.URL.Query().Get("repo"), oid)
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{})
}

// handleLFSVerify answers the verify action: 200 when the object is stored
// with that size.
func (e *Emulator) handleLFSVerify(w http.ResponseWriter, r *http.Request) {
	id, ok := lfsRepoID(r)
	if !ok {
		fail(w, http.StatusNotFound, "", "Sorry, we can't find the page you are looking for.")
		return
	}
	var req struct {
		Oid  string `json:"oid"`
		Size int64  `json:"size"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if err := e.locked(r, id, accessRead, func(*space, time.Time) error { return nil }); err != nil {
		failErr(w, err)
		return
	}
	size, stored := e.lfsOwned(id, req.Oid)
	switch {
	case !sha256Re.MatchString(req.Oid) || !stored:
		fail(w, http.StatusNotFound, "", "Object not found: "+req.Oid)
	case size != req.Size:
		fail(w, http.StatusUnprocessableEntity, "", fmt.Sprintf("Size mismatch: the object stored has %d bytes, not %d", size, req.Size))
	default:
		writeJSON(w, http.StatusOK, obj{})
	}
}

// handleLFSDownload serves an LFS object's content (Range supported), as
// the storage service resolve redirects to.
func (e *Emulator) handleLFSDownload(w http.ResponseWriter, r *http.Request) {
	oid, size, err := e.checkSigned(r, "download")
	if err != nil {
		failErr(w, err)
		return
	}
	sec, err := e.git.open("lfs", oid, 0, size)
	if err != nil {
		fail(w, http.StatusNotFound, "", "Object not found")
		return
	}
	defer sec.Close()
	h := w.Header()
	h.Set("ETag", `"`+oid+`"`)
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = oid
	}
	h.Set("Content-Disposition", contentDisposition(name))
	serveContent(w, r, name, size, sec)
}
