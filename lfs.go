package hfhub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

const lfsMediaType = "application/vnd.git-lfs+json"

type lfsAction struct {
	Href   string            `json:"href"`
	Header map[string]string `json:"header"`
}

type lfsBatchAnswer struct {
	Transfer string `json:"transfer"`
	Objects  []struct {
		OID     string `json:"oid"`
		Size    int64  `json:"size"`
		Actions *struct {
			Upload *lfsAction `json:"upload"`
			Verify *lfsAction `json:"verify"`
		} `json:"actions"`
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"objects"`
}

// lfsObject is one LFS object to upload, with the file that holds it.
type lfsObject struct {
	file      *pendingFile
	upload    *lfsAction
	verify    *lfsAction
	jobs      []putJob
	etags     []string     // multipart: the ETag of each part
	remaining atomic.Int64 // jobs not done yet
	sent      atomic.Int64 // bytes sent, for progress
}

// putJob is one PUT to storage: a whole file, or one part of it.
type putJob struct {
	obj  *lfsObject
	part int // 0: the whole file; n: part n of a multipart upload
	href string
	off  int64
	n    int64
}

// lfsBatch asks the LFS batch API how to upload the given files (at most
// lfsBatchSize) and returns the objects storage does not have yet, with
// their upload jobs laid out.
func (c *Client) lfsBatch(ctx context.Context, op, repoID string, o *CommitOptions, files []*pendingFile) ([]*lfsObject, error) {
	type object struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	}
	body := struct {
		Operation string            `json:"operation"`
		Transfers []string          `json:"transfers"`
		Objects   []object          `json:"objects"`
		HashAlgo  string            `json:"hash_algo"`
		Ref       map[string]string `json:"ref,omitempty"`
	}{Operation: "upload", Transfers: []string{"basic", "multipart"}, HashAlgo: "sha256"}
	if !o.CreatePR {
		// Left out for a pull request, so that users without write access
		// can open one (as the Python client does).
		rev := o.Revision
		if rev == "" {
			rev = "main"
		}
		body.Ref = map[string]string{"name": rev}
	}
	byOID := make(map[string]*lfsObject, len(files))
	for _, f := range files {
		body.Objects = append(body.Objects, object{f.sha256, f.size})
		byOID[f.sha256] = &lfsObject{file: f}
	}
	rc := rawCall{op: op, method: http.MethodPost, url: c.base + "/spaces/" + repoID + ".git/info/lfs/objects/batch",
		retry: true, body: jsonBody(body), header: http.Header{"Accept": {lfsMediaType}, "Content-Type": {lfsMediaType}}}
	var answer lfsBatchAnswer
	if err := c.exchangeRaw(ctx, rc, &answer); err != nil {
		return nil, err
	}
	var failures []string
	var objs []*lfsObject
	for _, a := range answer.Objects {
		obj := byOID[a.OID]
		if obj == nil {
			return nil, fmt.Errorf("hfhub: %s: the LFS batch answer names object %q, which was not asked for", op, clip(a.OID))
		}
		delete(byOID, a.OID)
		if a.Error != nil {
			failures = append(failures, fmt.Sprintf("%s: %d %s", obj.file.path, a.Error.Code, singleLine(a.Error.Message, 300)))
			continue
		}
		if a.Actions == nil || a.Actions.Upload == nil {
			continue // stored already
		}
		obj.upload, obj.verify = a.Actions.Upload, a.Actions.Verify
		if err := c.layOutJobs(op, obj); err != nil {
			return nil, err
		}
		objs = append(objs, obj)
	}
	if len(failures) > 0 {
		slices.Sort(failures)
		return nil, fmt.Errorf("hfhub: %s: the LFS storage refused: %s", op, strings.Join(failures, "; "))
	}
	for _, obj := range byOID {
		return nil, fmt.Errorf("hfhub: %s: the LFS batch answer says nothing of %q", op, clip(obj.file.path))
	}
	return objs, nil
}

// layOutJobs turns an object's upload action into PUT jobs: one for a
// basic transfer, one per part for a multipart one (header chunk_size and
// a presigned URL per part under an all-digit key).
func (c *Client) layOutJobs(op string, obj *lfsObject) error {
	obj.upload.Href = c.fixEndpoint(obj.upload.Href)
	if obj.verify != nil {
		obj.verify.Href = c.fixEndpoint(obj.verify.Href)
	}
	f := obj.file
	cs, ok := obj.upload.Header["chunk_size"]
	if !ok {
		obj.jobs = []putJob{{obj: obj, href: obj.upload.Href, n: f.size}}
		obj.remaining.Store(1)
		return nil
	}
	chunk, err := strconv.ParseInt(cs, 10, 64)
	if err != nil || chunk <= 0 {
		return fmt.Errorf("hfhub: %s: the LFS storage gives %q a bad chunk size %q", op, clip(f.path), clip(cs))
	}
	var keys []string
	for k := range obj.upload.Header {
		if k != "" && strings.Trim(k, "0123456789") == "" {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
	if want := (f.size + chunk - 1) / chunk; int64(len(keys)) != want {
		return fmt.Errorf("hfhub: %s: the LFS storage gives %q %d part URLs for %d parts", op, clip(f.path), len(keys), want)
	}
	obj.etags = make([]string, len(keys))
	for i, k := range keys {
		off := int64(i) * chunk
		obj.jobs = append(obj.jobs, putJob{obj: obj, part: i + 1, href: c.fixEndpoint(obj.upload.Header[k]), off: off, n: min(chunk, f.size-off)})
	}
	obj.remaining.Store(int64(len(obj.jobs)))
	return nil
}

// put sends one job's bytes to storage, without the token, retried with
// the file opened again.
func (c *Client) put(ctx context.Context, op string, j putJob, progress func(UploadProgress)) error {
	f := j.obj.file
	var sentThisTry atomic.Int64
	rc := rawCall{op: op, method: http.MethodPut, url: j.href, retry: true, noAuth: true,
		onRetry: func() { j.obj.sent.Add(-sentThisTry.Swap(0)) },
		body: func() (io.ReadCloser, int64, error) {
			r, err := f.openRange(j.off, j.n)
			if err != nil {
				return nil, 0, err
			}
			if progress != nil {
				r = &progressReader{rc: r, fn: func(n int64) {
					sentThisTry.Add(n)
					progress(UploadProgress{Path: f.path, BytesSent: j.obj.sent.Add(n), Total: f.size})
				}}
			}
			return r, j.n, nil
		}}
	resp, err := c.sendRaw(ctx, rc)
	if err != nil {
		return wrapOp(op, fmt.Errorf("uploading %q: %w", f.path, err))
	}
	etag := resp.Header.Get("ETag")
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	if j.part > 0 {
		if etag == "" {
			return fmt.Errorf("hfhub: %s: uploading %q: the storage answered part %d without an ETag", op, f.path, j.part)
		}
		j.obj.etags[j.part-1] = etag
	}
	return nil
}

// finish completes a multipart upload, then verifies the object.
func (c *Client) finish(ctx context.Context, op string, obj *lfsObject) error {
	if obj.etags != nil {
		type part struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		}
		body := struct {
			OID   string `json:"oid"`
			Parts []part `json:"parts"`
		}{OID: obj.file.sha256}
		for n, e := range obj.etags {
			body.Parts = append(body.Parts, part{n + 1, e})
		}
		rc := rawCall{op: op, method: http.MethodPost, url: obj.upload.Href, retry: true, noAuth: true, body: jsonBody(body),
			header: http.Header{"Accept": {lfsMediaType}, "Content-Type": {lfsMediaType}}}
		if err := c.exchangeRaw(ctx, rc, nil); err != nil {
			return wrapOp(op, fmt.Errorf("completing the upload of %q: %w", obj.file.path, err))
		}
	}
	if obj.verify != nil {
		body := map[string]any{"oid": obj.file.sha256, "size": obj.file.size}
		rc := rawCall{op: op, method: http.MethodPost, url: obj.verify.Href, retry: true, body: jsonBody(body),
			header: http.Header{"Accept": {lfsMediaType}, "Content-Type": {lfsMediaType}}}
		if err := c.exchangeRaw(ctx, rc, nil); err != nil {
			return wrapOp(op, fmt.Errorf("verifying the upload of %q: %w", obj.file.path, err))
		}
	}
	return nil
}

// openRange opens n bytes of the file from off, seeking when the content
// can seek and skipping otherwise.
func (f *pendingFile) openRange(off, n int64) (io.ReadCloser, error) {
	if off == 0 && n == f.size {
		return f.openExact()
	}
	rc, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("opening %q: %w", f.path, err)
	}
	if s, ok := rc.(io.Seeker); ok {
		if _, err := s.Seek(off, io.SeekStart); err != nil {
			rc.Close()
			return nil, fmt.Errorf("reading %q: %w", f.path, err)
		}
	} else if _, err := io.CopyN(io.Discard, rc, off); err != nil {
		rc.Close()
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("it changed while being committed (it shrank)")
		}
		return nil, fmt.Errorf("reading %q: %w", f.path, err)
	}
	return &exactReader{rc: rc, left: n, path: f.path, partial: true}, nil
}

// progressReader reports the bytes read through it.
type progressReader struct {
	rc io.ReadCloser
	fn func(n int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.rc.Read(b)
	if n > 0 {
		p.fn(int64(n))
	}
	return n, err
}

func (p *progressReader) Close() error { return p.rc.Close() }
