package hfhub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// RepoFile is a file or folder of a repository.
type RepoFile struct {
	Path string
	Type string // "file" or "directory"
	Size int64
	OID  string   // git blob id (SHA-1 hex) for a file, tree id for a directory
	LFS  *LFSInfo // nil for a regular file
	// XetHash is the Xet content hash of a file stored with Xet, when the
	// Hub gives it.
	XetHash string
}

// LFSInfo describes a file stored with Git LFS: its content's SHA-256 and
// size, and the size of the pointer file git holds instead.
type LFSInfo struct {
	SHA256      string
	Size        int64
	PointerSize int64
}

type treeEntry struct {
	Type string `json:"type"`
	OID  string `json:"oid"`
	Size int64  `json:"size"`
	Path string `json:"path"`
	LFS  *struct {
		OID         string `json:"oid"`
		Size        int64  `json:"size"`
		PointerSize int64  `json:"pointerSize"`
	} `json:"lfs"`
	XetHash string `json:"xetHash"`
}

func (e *treeEntry) file() *RepoFile {
	f := &RepoFile{Path: e.Path, Type: e.Type, Size: e.Size, OID: e.OID, XetHash: e.XetHash}
	if e.LFS != nil {
		f.LFS = &LFSInfo{SHA256: e.LFS.OID, Size: e.LFS.Size, PointerSize: e.LFS.PointerSize}
	}
	return f
}

// ListFilesOptions modifies ListFiles.
type ListFilesOptions struct {
	Revision  string // "" = main
	Path      string // "" = root
	Recursive bool   // also list what the folders hold
}

// revOrMain is the revision as one escaped path segment ("refs/pr/1" is
// "refs%2Fpr%2F1"), main by default.
func revOrMain(rev string) string {
	if rev == "" {
		rev = "main"
	}
	return url.PathEscape(rev)
}

// validRevision refuses a revision that cannot name a ref or a commit.
func validRevision(rev string) error {
	if strings.ContainsAny(rev, "\x00\r\n") || strings.HasPrefix(rev, "/") || strings.Contains(rev, "..") {
		return fmt.Errorf("%w: revision %q", ErrInvalidOption, clip(rev))
	}
	return nil
}

// ListFiles yields the files and folders of a Space at a revision, page by
// page (the Hub's Link rel="next"). Breaking out of the loop stops paging;
// an error is yielded once and ends the sequence. A missing folder is
// ErrNotFound.
func (s *SpacesService) ListFiles(ctx context.Context, repoID string, opts *ListFilesOptions) iter.Seq2[*RepoFile, error] {
	return func(yield func(*RepoFile, error) bool) {
		var o ListFilesOptions
		if opts != nil {
			o = *opts
		}
		if err := validateSpaceID(repoID); err != nil {
			yield(nil, err)
			return
		}
		if err := validRevision(o.Revision); err != nil {
			yield(nil, err)
			return
		}
		p := strings.Trim(o.Path, "/")
		if p == "." {
			p = ""
		}
		pathURL := spacePath(repoID, "tree", revOrMain(o.Revision))
		if p != "" {
			if err := checkRepoPath(p); err != nil {
				yield(nil, err)
				return
			}
			pathURL += "/" + url.PathEscape(p)
		}
		q := url.Values{"recursive": {strconv.FormatBool(o.Recursive)}, "expand": {"false"}}
		next := s.client.base + pathURL + "?" + q.Encode()
		cl := call{op: "ListFiles", method: http.MethodGet, path: pathURL, retry: true}
		for pages := 0; next != ""; pages++ {
			if pages >= 1000000 {
				yield(nil, fmt.Errorf("hfhub: ListFiles: stopped after %d pages", pages))
				return
			}
			resp, err := s.client.sendURL(ctx, cl, next, nil)
			if err != nil {
				yield(nil, err)
				return
			}
			var page []*treeEntry
			err = json.NewDecoder(http.MaxBytesReader(nil, resp.Body, maxSuccessBody)).Decode(&page)
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
			if err != nil {
				if ctx.Err() != nil {
					err = ctx.Err()
				} else {
					err = fmt.Errorf("hfhub: ListFiles: decoding the answer: %w", err)
				}
				yield(nil, err)
				return
			}
			for _, e := range page {
				if e == nil {
					continue
				}
				if !yield(e.file(), nil) {
					return
				}
			}
			if next, err = s.client.nextPage(next, resp.Header.Get("Link")); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// DownloadOptions modifies Download.
type DownloadOptions struct {
	Revision string // "" = main
}

// resolveURL is where a file's content is served.
func (c *Client) resolveURL(repoID, rev, p string) string {
	return c.base + "/spaces/" + repoID + "/resolve/" + revOrMain(rev) + "/" + escapePathSegments(p)
}

// escapePathSegments escapes each segment of a slash path, keeping the slashes.
func escapePathSegments(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// Download opens a file of a Space for reading; the caller closes it. The
// content is streamed, never held in memory. A file stored with LFS is
// redirected to storage on another host, which the redirect is followed
// to without the token. The RepoFile describes the file as the Hub
// announced it: size, git blob id (empty for an LFS file), LFS SHA-256. A missing file is
// ErrNotFound.
func (s *SpacesService) Download(ctx context.Context, repoID, path string, opts *DownloadOptions) (io.ReadCloser, *RepoFile, error) {
	var o DownloadOptions
	if opts != nil {
		o = *opts
	}
	if err := validateSpaceID(repoID); err != nil {
		return nil, nil, err
	}
	if err := validRevision(o.Revision); err != nil {
		return nil, nil, err
	}
	p := strings.TrimPrefix(path, "/")
	if err := checkRepoPath(p); err != nil {
		return nil, nil, err
	}
	rc := rawCall{op: "Download", method: http.MethodGet, url: s.client.resolveURL(repoID, o.Revision, p),
		header: http.Header{"Accept-Encoding": {"identity"}}, retry: true}
	resp, err := s.client.sendRaw(ctx, rc)
	if err != nil {
		return nil, nil, err
	}
	// The Hub's own answer is the first of the redirect chain: it has the
	// X-Linked-* headers, storage does not.
	hub := resp
	for hub.Request != nil && hub.Request.Response != nil {
		hub = hub.Request.Response
	}
	f := &RepoFile{Path: p, Type: "file", Size: resp.ContentLength, OID: normalizeETag(hub.Header.Get("ETag"))}
	if linked := normalizeETag(hub.Header.Get("X-Linked-Etag")); linked != "" {
		// The ETag of an LFS file is not its pointer's blob id.
		f.OID, f.LFS = "", &LFSInfo{SHA256: linked}
	}
	if n, err := strconv.ParseInt(hub.Header.Get("X-Linked-Size"), 10, 64); err == nil && n >= 0 {
		f.Size = n
		if f.LFS != nil {
			f.LFS.Size = n
		}
	} else if f.LFS != nil {
		f.LFS.Size = f.Size
	}
	f.XetHash = hub.Header.Get("X-Xet-Hash")
	body := &resumingBody{c: s.client, ctx: ctx, rc: resp.Body, size: resp.ContentLength, path: p,
		retriesLeft: s.client.retry.MaxRetries, url: rc.url}
	if commit := hub.Header.Get("X-Repo-Commit"); parentCommitRE.MatchString(commit) {
		// A resumed read asks for the same commit, so the bytes cannot
		// come from another version of the file.
		body.url = s.client.resolveURL(repoID, commit, p)
	}
	return body, f, nil
}

// resumingBody reads a download and, when the connection breaks before
// the announced length, asks for the rest (Range: bytes=N-), at most the
// client's MaxRetries times, as the Python client resumes a download.
type resumingBody struct {
	c           *Client
	ctx         context.Context
	rc          io.ReadCloser
	url         string
	path        string
	size        int64 // -1: unknown, then a broken read is not resumed
	read        int64
	retriesLeft int
}

func (b *resumingBody) Read(p []byte) (int, error) {
	for {
		n, err := b.rc.Read(p)
		b.read += int64(n)
		if err == nil || err == io.EOF && (b.size < 0 || b.read >= b.size) {
			return n, err
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if n > 0 {
			return n, nil // the next Read meets the error again
		}
		if b.size < 0 || b.retriesLeft <= 0 || b.ctx.Err() != nil {
			return 0, fmt.Errorf("hfhub: Download: reading %q: %w", b.path, err)
		}
		b.retriesLeft--
		if rerr := b.resume(); rerr != nil {
			return 0, fmt.Errorf("hfhub: Download: reading %q: %w (resuming: %w)", b.path, err, rerr)
		}
	}
}

func (b *resumingBody) resume() error {
	b.rc.Close()
	b.rc = io.NopCloser(strings.NewReader(""))
	resp, err := b.c.sendRaw(b.ctx, rawCall{op: "Download", method: http.MethodGet, url: b.url, retry: true,
		header: http.Header{"Accept-Encoding": {"identity"}, "Range": {"bytes=" + strconv.FormatInt(b.read, 10) + "-"}}})
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusPartialContent {
		// The whole file again: skip what was read already.
		if _, err := io.CopyN(io.Discard, resp.Body, b.read); err != nil {
			resp.Body.Close()
			return err
		}
	}
	b.rc = resp.Body
	return nil
}

func (b *resumingBody) Close() error { return b.rc.Close() }

// normalizeETag strips W/ and the quotes, as the Python client does.
func normalizeETag(e string) string {
	e = strings.TrimSpace(e)
	e = strings.TrimPrefix(e, "W/")
	return strings.Trim(e, `"`)
}
