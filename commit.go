package hfhub

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// CommitOperation is one change of a commit: build it with AddFileBytes,
// AddFileFromPath, AddFileFunc, DeleteFile or DeleteFolder.
type CommitOperation interface {
	commitOp()
}

// addFile adds or replaces a file. Its content is read through open, as
// many times as needed (sample, hash, upload, retries), never held.
type addFile struct {
	path  string
	data  []byte // AddFileBytes
	local string // AddFileFromPath
	size  int64  // -1: stat the local file
	open  func() (io.ReadCloser, error)
}

func (*addFile) commitOp() {}

type deleteOp struct {
	path   string
	folder bool
}

func (*deleteOp) commitOp() {}

// AddFileBytes adds or replaces a file with the given content.
func AddFileBytes(pathInRepo string, data []byte) CommitOperation {
	return &addFile{path: pathInRepo, data: data, size: int64(len(data))}
}

// AddFileFromPath adds or replaces a file with a local file's content. The
// file is read by streaming, as often as needed: it must not change until
// Commit returns.
func AddFileFromPath(pathInRepo, localPath string) CommitOperation {
	return &addFile{path: pathInRepo, local: localPath, size: -1}
}

// AddFileFunc adds or replaces a file of the given size whose content open
// returns. open is called again for each read (hashing, upload, each
// retry), and must give the same bytes every time.
func AddFileFunc(pathInRepo string, size int64, open func() (io.ReadCloser, error)) CommitOperation {
	return &addFile{path: pathInRepo, size: size, open: open}
}

// DeleteFile deletes a file. Deleting a file that does not exist fails the
// commit (ErrNotFound).
func DeleteFile(pathInRepo string) CommitOperation {
	return &deleteOp{path: pathInRepo}
}

// DeleteFolder deletes a folder and everything in it.
func DeleteFolder(pathInRepo string) CommitOperation {
	return &deleteOp{path: pathInRepo, folder: true}
}

// CommitOptions modifies Commit.
type CommitOptions struct {
	// Message is the commit's title; empty gives "Upload files with hfhub"
	// (or "Delete files with hfhub").
	Message, Description string
	Revision             string // "" = main
	// ParentCommit (a commit id, 5 to 40 hex digits) makes the commit fail
	// with ErrConflict and ErrStaleParent if the branch's head moved.
	ParentCommit string
	CreatePR     bool                 // open a pull request instead of committing to the branch
	Progress     func(UploadProgress) // optional; called from any goroutine, must be cheap
}

// UploadProgress reports the upload of one file: LFS files as their bytes
// go to storage, regular files as they are streamed into the commit.
type UploadProgress struct {
	Path             string
	BytesSent, Total int64 // for this file
}

// ErrStaleParent: the commit named a ParentCommit that is no longer the
// head of the branch. The error also matches ErrConflict.
var ErrStaleParent = errors.New("parent commit is not the head")

// CommitInfo describes a commit.
type CommitInfo struct {
	OID            string // the new commit; the current head when nothing was committed
	URL            string
	PullRequestURL string   // "" unless CreatePR
	Committed      bool     // false: nothing changed, no commit was sent
	Uploaded       []string // paths added or changed
	Deleted        []string // paths deleted
	Skipped        []string // paths whose remote content was already identical
	// Ignored are paths the Hub said to ignore (its .gitignore rules): not
	// uploaded, not committed.
	Ignored []string
}

// Tuning of the commit pipeline.
const (
	preuploadBatch   = 256 // files per preupload call (the Hub's limit)
	lfsBatchSize     = 256 // objects per LFS batch call
	maxConcurrentPUT = 8   // LFS uploads (files or parts) in flight
	sampleSize       = 512
	maxGitignore     = 1 << 20 // a bigger .gitignore is not sent as a preupload hint
	maxReadme        = 1 << 20 // a bigger README.md is not checked before the commit
)

var parentCommitRE = regexp.MustCompile(`^[A-Fa-f0-9]{5,40}$`)

// checkRepoPath applies the Python client's rules for a path in a
// repository, and refuses empty and dot segments.
func checkRepoPath(p string) error {
	if p == "" {
		return fmt.Errorf("%w: an empty path in the repository", ErrInvalidOption)
	}
	if strings.ContainsAny(p, "\x00\\") || !validUTF8(p) {
		return fmt.Errorf("%w: path %q holds a NUL, a backslash or invalid UTF-8", ErrInvalidOption, clip(p))
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".", "..":
			return fmt.Errorf("%w: path %q has an empty, \".\" or \"..\" segment", ErrInvalidOption, clip(p))
		case ".git", ".cache":
			return fmt.Errorf("%w: path %q is inside a %q folder, which a repository cannot hold", ErrInvalidOption, clip(p), seg)
		}
	}
	return nil
}

func validUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// normalizeRepoPath strips a leading "/" or "./" as the Python client does.
func normalizeRepoPath(p string) string {
	p = strings.TrimPrefix(p, "/")
	return strings.TrimPrefix(p, "./")
}

// pendingFile is an added file on its way through the commit.
type pendingFile struct {
	op     *addFile
	path   string
	size   int64
	open   func() (io.ReadCloser, error)
	sample []byte

	lfs       bool   // the Hub said lfs
	ignore    bool   // the Hub said to ignore it
	remoteOID string // the path's oid at the revision, if it exists
	sha256    string // hex, for an LFS file
	skip      bool   // identical remote content
}

// commitPlan is what a commit sends, after preupload.
type commitPlan struct {
	files   []*pendingFile
	deletes []*deleteOp
	order   []CommitOperation // the caller's order, for the NDJSON lines
	head    string            // the revision's head as preupload reported it
}

// Commit sends one commit to a Space: files added from bytes, paths or
// openers, and deletions. The Hub decides for each added file whether it
// goes inline (regular) or through Git LFS; LFS files are uploaded first
// through the LFS batch API (in parallel, resumed by re-opening the file on
// retry, then verified). A file whose remote content is already identical
// is skipped; when nothing is left, no commit is sent and the current head
// is returned with Committed false. Files are read by streaming: memory
// stays bounded whatever their sizes.
//
// The commit request itself is never retried: when it may have reached the
// Hub before failing, the error wraps ErrOutcomeUnknown. A stale
// ParentCommit is ErrConflict and ErrStaleParent.
func (s *SpacesService) Commit(ctx context.Context, repoID string, ops []CommitOperation, opts *CommitOptions) (*CommitInfo, error) {
	return s.commit(ctx, "Commit", repoID, ops, opts, false)
}

func (s *SpacesService) commit(ctx context.Context, op, repoID string, ops []CommitOperation, opts *CommitOptions, dryRun bool) (*CommitInfo, error) {
	if ctx == nil {
		return nil, nilContextError(op)
	}
	var o CommitOptions
	if opts != nil {
		o = *opts
	}
	plan, err := s.client.planCommit(repoID, ops, &o)
	if err != nil {
		return nil, err
	}
	if !dryRun {
		// A bad README fails the commit before any upload.
		if err := s.client.validateReadme(ctx, op, plan.files); err != nil {
			return nil, err
		}
	}
	if err := s.client.transfer(ctx, op, repoID, &o, plan, dryRun); err != nil {
		return nil, err
	}
	info := &CommitInfo{}
	sending := false
	for _, f := range plan.files {
		switch {
		case f.ignore:
			info.Ignored = append(info.Ignored, f.path)
		case f.skip:
			info.Skipped = append(info.Skipped, f.path)
		default:
			info.Uploaded = append(info.Uploaded, f.path)
			sending = true
		}
	}
	for _, d := range plan.deletes {
		info.Deleted = append(info.Deleted, d.path)
	}
	if dryRun || (!sending && len(plan.deletes) == 0) {
		head := plan.head
		if head == "" {
			if head, err = s.client.revisionSHA(ctx, op, repoID, o.Revision); err != nil {
				return nil, err
			}
		}
		info.OID = head
		if head != "" {
			info.URL = s.client.base + "/spaces/" + repoID + "/commit/" + head
		}
		return info, nil
	}
	answer, err := s.client.sendCommit(ctx, op, repoID, &o, plan)
	if err != nil {
		return nil, err
	}
	info.Committed = true
	info.OID = answer.CommitOID
	info.URL = s.client.fixEndpoint(answer.CommitURL)
	if o.CreatePR {
		info.PullRequestURL = s.client.fixEndpoint(answer.PullRequestURL)
	}
	return info, nil
}

// planCommit checks the operations and the options before anything is sent.
func (c *Client) planCommit(repoID string, ops []CommitOperation, o *CommitOptions) (*commitPlan, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := validRevision(o.Revision); err != nil {
		return nil, err
	}
	if o.ParentCommit != "" && !parentCommitRE.MatchString(o.ParentCommit) {
		return nil, fmt.Errorf("%w: parent commit %q is not a commit id (5 to 40 hex digits)", ErrInvalidOption, clip(o.ParentCommit))
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("%w: a commit needs at least one operation", ErrInvalidOption)
	}
	plan := &commitPlan{}
	added := map[string]bool{}
	for i, op := range ops {
		switch op := op.(type) {
		case *addFile:
			if op == nil {
				return nil, fmt.Errorf("%w: operation %d is nil", ErrInvalidOption, i+1)
			}
			f, err := newPendingFile(op)
			if err != nil {
				return nil, err
			}
			if added[f.path] {
				return nil, fmt.Errorf("%w: %q is added twice in one commit", ErrInvalidOption, clip(f.path))
			}
			added[f.path] = true
			plan.files = append(plan.files, f)
		case *deleteOp:
			if op == nil {
				return nil, fmt.Errorf("%w: operation %d is nil", ErrInvalidOption, i+1)
			}
			d := &deleteOp{path: normalizeRepoPath(op.path), folder: op.folder}
			if err := checkRepoPath(strings.TrimSuffix(d.path, "/")); err != nil {
				return nil, err
			}
			plan.deletes = append(plan.deletes, d)
			plan.order = append(plan.order, d)
			continue
		default:
			return nil, fmt.Errorf("%w: operation %d is not one of AddFileBytes, AddFileFromPath, AddFileFunc, DeleteFile, DeleteFolder", ErrInvalidOption, i+1)
		}
		plan.order = append(plan.order, plan.files[len(plan.files)-1].op)
	}
	if o.Message == "" {
		o.Message = "Upload files with hfhub"
		if len(plan.files) == 0 {
			o.Message = "Delete files with hfhub"
		}
	}
	if strings.ContainsAny(o.Message, "\x00") {
		return nil, fmt.Errorf("%w: the commit message holds a NUL byte", ErrInvalidOption)
	}
	return plan, nil
}

func newPendingFile(op *addFile) (*pendingFile, error) {
	f := &pendingFile{op: op, path: normalizeRepoPath(op.path), size: op.size}
	if err := checkRepoPath(f.path); err != nil {
		return nil, err
	}
	switch {
	case op.local != "":
		st, err := os.Stat(op.local)
		if err != nil {
			return nil, fmt.Errorf("hfhub: %s: %w", f.path, err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%w: %s (for %q) is not a regular file", ErrInvalidOption, op.local, clip(f.path))
		}
		f.size = st.Size()
		local := op.local
		f.open = func() (io.ReadCloser, error) { return os.Open(local) }
	case op.open != nil:
		if op.size < 0 {
			return nil, fmt.Errorf("%w: %q: negative size %d", ErrInvalidOption, clip(f.path), op.size)
		}
		f.open = op.open
	case op.size == -1:
		return nil, fmt.Errorf("%w: %q: AddFileFromPath needs a local path", ErrInvalidOption, clip(f.path))
	default:
		data := op.data
		f.open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	return f, nil
}

// openExact opens a file's content and checks, as it is read, that it has
// exactly the announced size: a file that changed since Commit began
// fails instead of sending other bytes than those hashed.
func (f *pendingFile) openExact() (io.ReadCloser, error) {
	rc, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("opening %q: %w", f.path, err)
	}
	if rc == nil {
		return nil, fmt.Errorf("opening %q: the opener returned no reader", f.path)
	}
	return &exactReader{rc: rc, left: f.size, path: f.path}, nil
}

type exactReader struct {
	rc      io.ReadCloser
	left    int64
	path    string
	partial bool // a part of the file: what follows is not checked
}

func (r *exactReader) Read(p []byte) (int, error) {
	if r.left <= 0 && r.partial {
		return 0, io.EOF
	}
	if r.left <= 0 {
		// One more byte would mean the file grew.
		var one [1]byte
		n, err := r.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%q changed while being committed (it grew)", r.path)
		}
		if err == nil {
			return 0, nil
		}
		if err == io.EOF {
			return 0, io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.rc.Read(p)
	r.left -= int64(n)
	if err == io.EOF && r.left > 0 {
		return n, fmt.Errorf("%q changed while being committed (it shrank)", r.path)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

func (r *exactReader) Close() error { return r.rc.Close() }

// readSample reads the first bytes of a file for preupload.
func (f *pendingFile) readSample() error {
	n := min(f.size, sampleSize)
	if n == 0 {
		f.sample = nil
		return nil
	}
	rc, err := f.open()
	if err != nil {
		return fmt.Errorf("opening %q: %w", f.path, err)
	}
	defer rc.Close()
	buf := make([]byte, n)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return fmt.Errorf("reading %q: %w", f.path, err)
	}
	f.sample = buf
	return nil
}

// parallel runs fn(i) for i in [0, n) on at most workers goroutines and
// returns the first error; the others stop early once one failed.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers = max(1, min(workers, n))
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel(err) })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return context.Cause(ctx)
}

type preuploadFile struct {
	Path   string `json:"path"`
	Sample string `json:"sample"`
	Size   int64  `json:"size"`
}

type preuploadAnswer struct {
	Files []struct {
		Path         string `json:"path"`
		UploadMode   string `json:"uploadMode"`
		ShouldIgnore bool   `json:"shouldIgnore"`
		OID          string `json:"oid"`
	} `json:"files"`
	CommitOID string `json:"commitOid"`
}

// gitIgnoreHint is the content of a .gitignore being committed, which
// preupload sends so that the Hub applies it (as the Python client does).
func gitIgnoreHint(files []*pendingFile) (*string, error) {
	for _, f := range files {
		if f.path == ".gitignore" && f.size <= maxGitignore {
			data, err := readAll(f)
			if err != nil {
				return nil, err
			}
			s := string(data)
			return &s, nil
		}
	}
	return nil, nil
}

// preuploadBatch reads the samples of a batch of added files and asks the
// Hub how each is to be sent (regular or LFS), whether to ignore it, and
// what is there already. It returns the revision's head.
func (c *Client) preuploadBatch(ctx context.Context, op, repoID string, o *CommitOptions, batch []*pendingFile, gitIgnore *string) (string, error) {
	if err := parallel(ctx, len(batch), 2*runtime.GOMAXPROCS(0), func(ctx context.Context, i int) error {
		return batch[i].readSample()
	}); err != nil {
		return "", wrapOp(op, err)
	}
	q := url.Values{}
	if o.CreatePR {
		q.Set("create_pr", "1")
	}
	body := struct {
		Files     []preuploadFile `json:"files"`
		GitIgnore *string         `json:"gitIgnore,omitempty"`
	}{GitIgnore: gitIgnore}
	byPath := make(map[string]*pendingFile, len(batch))
	for _, f := range batch {
		body.Files = append(body.Files, preuploadFile{Path: f.path, Sample: base64.StdEncoding.EncodeToString(f.sample), Size: f.size})
		byPath[f.path] = f
		f.sample = nil // only the request holds it now
	}
	var answer preuploadAnswer
	cl := call{op: op, method: http.MethodPost, path: spacePath(repoID, "preupload", revOrMain(o.Revision)), query: q, body: body, retry: true}
	if err := c.do(ctx, cl, &answer); err != nil {
		return "", err
	}
	for _, a := range answer.Files {
		f := byPath[a.Path]
		if f == nil {
			continue
		}
		switch a.UploadMode {
		case "lfs":
			f.lfs = f.size > 0 // storage would refuse an empty object (the Python client does the same)
		case "regular":
		default:
			return "", fmt.Errorf("hfhub: %s: the Hub's preupload answer gives %q the upload mode %q", op, clip(a.Path), clip(a.UploadMode))
		}
		f.ignore = a.ShouldIgnore
		f.remoteOID = a.OID
		delete(byPath, a.Path)
	}
	for p := range byPath {
		return "", fmt.Errorf("hfhub: %s: the Hub's preupload answer says nothing of %q", op, clip(p))
	}
	return answer.CommitOID, nil
}

func wrapOp(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || strings.HasPrefix(err.Error(), "hfhub: ") {
		return err
	}
	return fmt.Errorf("hfhub: %s: %w", op, err)
}

// readAll reads a (small) file whole.
func readAll(f *pendingFile) ([]byte, error) {
	rc, err := f.openExact()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// needsHash reports whether a file must be hashed locally: every LFS file
// (its SHA-256 is its LFS id), and every regular file the Hub has a
// version of (its git blob id tells whether it changed).
func (f *pendingFile) needsHash() bool {
	return !f.ignore && (f.lfs || f.remoteOID != "")
}

// hash computes the file's SHA-256 (LFS) or git blob id (regular) by
// streaming, and whether the remote copy is the same.
func (f *pendingFile) hash(ctx context.Context) error {
	var h hash.Hash
	if f.lfs {
		h = sha256.New()
	} else {
		h = sha1.New()
		h.Write([]byte("blob " + strconv.FormatInt(f.size, 10) + "\x00"))
	}
	rc, err := f.openExact()
	if err != nil {
		return err
	}
	defer rc.Close()
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	if _, err := io.CopyBuffer(h, ctxReader{ctx, rc}, *buf); err != nil {
		return fmt.Errorf("hashing %q: %w", f.path, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if f.lfs {
		f.sha256 = sum
	}
	f.skip = f.remoteOID != "" && strings.EqualFold(f.remoteOID, sum)
	return nil
}

// ctxReader stops a long read when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// revisionSHA is a revision's head commit (GET /api/spaces/{id}/revision/{rev}).
func (c *Client) revisionSHA(ctx context.Context, op, repoID, rev string) (string, error) {
	var answer struct {
		SHA string `json:"sha"`
	}
	cl := call{op: op, method: http.MethodGet, path: spacePath(repoID, "revision", revOrMain(rev)), retry: true}
	if err := c.do(ctx, cl, &answer); err != nil {
		return "", err
	}
	return answer.SHA, nil
}

// validateReadme asks the Hub to check a README.md being committed, before
// anything is uploaded, as the Python client does: its front matter
// configures the Space.
func (c *Client) validateReadme(ctx context.Context, op string, send []*pendingFile) error {
	for _, f := range send {
		if f.path != "README.md" || f.size > maxReadme {
			continue
		}
		data, err := readAll(f)
		if err != nil {
			return wrapOp(op, err)
		}
		var answer struct {
			Errors   []struct{ Message string } `json:"errors"`
			Warnings []struct{ Message string } `json:"warnings"`
		}
		body := map[string]string{"content": strings.ToValidUTF8(string(data), "\uFFFD"), "repoType": "space"}
		err = c.do(ctx, call{op: op, method: http.MethodPost, path: "/api/validate-yaml", body: body, retry: true}, &answer)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
			return fmt.Errorf("hfhub: %s: invalid metadata in README.md: %s: %w", op, apiErr.Message, ErrBadRequest)
		}
		if err != nil {
			return err
		}
		var msgs []string
		for _, e := range answer.Errors {
			msgs = append(msgs, e.Message)
		}
		if len(msgs) > 0 {
			return fmt.Errorf("hfhub: %s: invalid metadata in README.md: %s: %w", op, singleLine(strings.Join(msgs, "; "), 1000), ErrBadRequest)
		}
		for _, w := range answer.Warnings {
			c.logger.WarnContext(ctx, "hfhub: README.md metadata", "warning", singleLine(w.Message, 1000))
		}
	}
	return nil
}

// fixEndpoint points a URL the Hub built with its public address at the
// client's endpoint, as the Python client does for a custom endpoint.
func (c *Client) fixEndpoint(u string) string {
	if c.base != DefaultEndpoint && strings.HasPrefix(u, DefaultEndpoint+"/") {
		return c.base + strings.TrimPrefix(u, DefaultEndpoint)
	}
	return u
}

type commitAnswer struct {
	Success        bool   `json:"success"`
	CommitOID      string `json:"commitOid"`
	CommitURL      string `json:"commitUrl"`
	PullRequestURL string `json:"pullRequestUrl"`
}

// ndjsonLine is one line of the commit body: the JSON before the content,
// the content (base64 of a file, streamed), and the JSON after it.
type ndjsonLine struct {
	head, tail []byte
	file       *pendingFile // regular file whose base64 goes between head and tail
}

func marshalLine(key string, value any) []byte {
	v, _ := json.Marshal(struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	}{key, value})
	return append(v, '\n')
}

// commitLines lays out the NDJSON body, as the Python client writes it:
// the header, then one line per operation in the caller's order, each
// ending with a newline.
func commitLines(o *CommitOptions, plan *commitPlan) ([]ndjsonLine, int64) {
	header := map[string]string{"summary": o.Message, "description": o.Description}
	if o.ParentCommit != "" {
		header["parentCommit"] = o.ParentCommit
	}
	lines := []ndjsonLine{{head: marshalLine("header", header)}}
	files := make(map[*addFile]*pendingFile, len(plan.files))
	for _, f := range plan.files {
		files[f.op] = f
	}
	for _, op := range plan.order {
		switch op := op.(type) {
		case *addFile:
			f := files[op]
			if f.ignore || f.skip {
				continue
			}
			if f.lfs {
				lines = append(lines, ndjsonLine{head: marshalLine("lfsFile", map[string]any{
					"path": f.path, "algo": "sha256", "oid": f.sha256, "size": f.size})})
				continue
			}
			p, _ := json.Marshal(f.path)
			lines = append(lines, ndjsonLine{
				head: []byte(`{"key":"file","value":{"content":"`),
				tail: []byte(`","path":` + string(p) + `,"encoding":"base64"}}` + "\n"),
				file: f,
			})
		case *deleteOp:
			key := "deletedFile"
			if op.folder {
				key = "deletedFolder"
			}
			lines = append(lines, ndjsonLine{head: marshalLine(key, map[string]string{"path": op.path})})
		}
	}
	var total int64
	for _, l := range lines {
		total += int64(len(l.head) + len(l.tail))
		if l.file != nil {
			total += (l.file.size + 2) / 3 * 4
		}
	}
	return lines, total
}

// sendCommit streams the NDJSON commit (regular files base64-encoded on
// the fly, with an exact Content-Length) and reads the Hub's answer. It is
// sent once.
func (c *Client) sendCommit(ctx context.Context, op, repoID string, o *CommitOptions, plan *commitPlan) (*commitAnswer, error) {
	lines, total := commitLines(o, plan)
	u := c.base + spacePath(repoID, "commit", revOrMain(o.Revision))
	if o.CreatePR {
		u += "?create_pr=1"
	}
	var bodyErr atomic.Value // error: the body could not be produced
	rc := rawCall{op: op, method: http.MethodPost, url: u,
		header: http.Header{"Content-Type": {"application/x-ndjson"}, "Accept": {"application/json"}},
		body: func() (io.ReadCloser, int64, error) {
			pr, pw := io.Pipe()
			go func() {
				err := writeCommitBody(ctx, pw, lines, o.Progress)
				if err != nil {
					bodyErr.Store(err)
				}
				pw.CloseWithError(err)
			}()
			return pr, total, nil
		}}
	var answer commitAnswer
	err := c.exchangeRaw(ctx, rc, &answer)
	var srcErr *sourceError
	if e, ok := bodyErr.Load().(error); ok && errors.As(e, &srcErr) && err != nil {
		// A file could not be read to the end: the body was cut short of
		// its Content-Length, which the Hub cannot take as a commit.
		return nil, wrapOp(op, fmt.Errorf("%w; nothing was committed", srcErr.err))
	}
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusPreconditionFailed {
			return nil, &staleParentError{parent: o.ParentCommit, err: apiErr}
		}
		return nil, err
	}
	if answer.CommitOID == "" {
		return nil, fmt.Errorf("hfhub: %s: the Hub's answer names no commit (%w: check the Space's history)", op, ErrOutcomeUnknown)
	}
	return &answer, nil
}

// staleParentError is a 412 on a commit: the branch moved.
type staleParentError struct {
	parent string
	err    *APIError
}

func (e *staleParentError) Error() string {
	if e.parent != "" {
		return fmt.Sprintf("hfhub: the branch moved since parent commit %s; nothing was committed (%s)", e.parent, e.err.Error())
	}
	return "hfhub: the branch moved; nothing was committed (" + e.err.Error() + ")"
}

func (e *staleParentError) Is(target error) bool {
	return target == ErrStaleParent || target == ErrConflict
}

func (e *staleParentError) Unwrap() error { return e.err }

func writeCommitBody(ctx context.Context, pw io.Writer, lines []ndjsonLine, progress func(UploadProgress)) error {
	bw := bufio.NewWriterSize(pw, 64<<10)
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	for _, l := range lines {
		if _, err := bw.Write(l.head); err != nil {
			return err
		}
		if f := l.file; f != nil {
			rc, err := f.openExact()
			if err != nil {
				return &sourceError{err}
			}
			enc := base64.NewEncoder(base64.StdEncoding, bw)
			var w io.Writer = enc
			if progress != nil {
				w = &progressWriter{w: enc, path: f.path, total: f.size, fn: progress}
			}
			_, err = io.CopyBuffer(w, sourceReader{ctxReader{ctx, rc}}, *buf)
			rc.Close()
			if err != nil {
				return err
			}
			if err := enc.Close(); err != nil {
				return err
			}
		}
		if _, err := bw.Write(l.tail); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// sourceError is a failure to read a file into the commit body, as
// opposed to a failure to send it.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// sourceReader marks its read errors as sourceErrors.
type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

// progressWriter reports the bytes written through it.
type progressWriter struct {
	w     io.Writer
	path  string
	sent  int64
	total int64
	fn    func(UploadProgress)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.sent += int64(n)
	p.fn(UploadProgress{Path: p.path, BytesSent: p.sent, Total: p.total})
	return n, err
}
