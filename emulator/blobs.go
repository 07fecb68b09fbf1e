package emulator

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
)

// The object store holds what a Space's git repository is made of:
//
//	pack/<sha256>    the contents of a commit's regular files, one after the other
//	lfs/<sha256>     an LFS object, named by the SHA-256 of its content
//	tree/<tree id>   a commit's file list (JSON), named by its git root tree id
//	commit/<id>      a commit (JSON), named by its git commit id
//	lfsref/<sha256>  a marker: an LFS object was uploaded for a Space (lfs.go)
//
// With a data file the objects are files in the folder beside it
// (<data file>.objects), each written to a temporary file, fsynced, renamed
// into place and its folder fsynced before put returns: a commit that names
// an object is saved, and so acknowledged, only after the object is durable.
// Objects are content-addressed and never change, so writing one twice is
// harmless, and an object left behind by a request that failed later is
// only unused space. Objects are not collected when a Space is deleted.
//
// Without a data file the objects are kept in memory, at most
// MaxMemoryObjects bytes in all; past that a write is a 507.

// MaxMemoryObjects is how many bytes of file contents (regular files, LFS
// objects, file lists) an emulator without a data file keeps in memory.
const MaxMemoryObjects = 1 << 30

// objectStore is the store of one emulator. Its methods are safe for
// concurrent use.
type objectStore struct {
	dir string // "" keeps objects in memory

	mu       sync.Mutex
	mem      map[string][]byte // kind/key → content, in memory
	memBytes int64
	memCap   int64 // MaxMemoryObjects; tests lower it
	dirsMade map[string]bool

	// signKey signs the URLs the emulator hands out for LFS transfers,
	// which carry no token (see lfs.go).
	signKey []byte

	asm      map[string]*assembly // multipart transfers under way (assembly.go)
	cleanTmp sync.Once

	// moved holds the ids Spaces were moved from (moved.go).
	movedOnce sync.Once
	moved     sync.Map

	// cache of parsed trees and commits, by id.
	cacheMu sync.Mutex
	trees   map[string]*treeState
	commits map[string]*commitObject
}

func newObjectStore(dataFile string) *objectStore {
	o := &objectStore{
		mem:      map[string][]byte{},
		dirsMade: map[string]bool{},
		signKey:  make([]byte, 32),
		trees:    map[string]*treeState{},
		commits:  map[string]*commitObject{},
		memCap:   MaxMemoryObjects,
	}
	rand.Read(o.signKey)
	if dataFile != "" {
		o.dir = dataFile + ".objects"
	}
	return o
}

var errStoreFull = &apiError{status: http.StatusInsufficientStorage,
	msg: fmt.Sprintf("The emulator keeps at most %d MiB of files in memory: run it with a data file (--data) for more", MaxMemoryObjects>>20)}

var errNoObject = errors.New("emulator: no such object")

func (o *objectStore) path(kind, key string) string {
	if len(key) < 3 {
		key = "00" + key
	}
	return filepath.Join(o.dir, kind, key[:2], key[2:])
}

// has reports whether an object exists, and its size.
func (o *objectStore) has(kind, key string) (int64, bool) {
	if o.dir == "" {
		o.mu.Lock()
		defer o.mu.Unlock()
		b, ok := o.mem[kind+"/"+key]
		return int64(len(b)), ok
	}
	fi, err := os.Stat(o.path(kind, key))
	if err != nil {
		return 0, false
	}
	return fi.Size(), true
}

// put stores an object; it is durable when put returns.
func (o *objectStore) put(kind, key string, data []byte) error {
	w, err := o.create(kind)
	if err != nil {
		return err
	}
	defer w.abort()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.commit(key)
}

// get reads a whole object.
func (o *objectStore) get(kind, key string) ([]byte, error) {
	if o.dir == "" {
		o.mu.Lock()
		defer o.mu.Unlock()
		b, ok := o.mem[kind+"/"+key]
		if !ok {
			return nil, errNoObject
		}
		return b, nil
	}
	b, err := os.ReadFile(o.path(kind, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoObject
	}
	return b, err
}

// remove deletes an object (the parts of a multipart transfer, once
// assembled).
func (o *objectStore) remove(kind, key string) {
	if o.dir == "" {
		o.mu.Lock()
		defer o.mu.Unlock()
		if b, ok := o.mem[kind+"/"+key]; ok {
			o.memBytes -= int64(len(b))
			delete(o.mem, kind+"/"+key)
		}
		return
	}
	os.Remove(o.path(kind, key))
}

// section is a part of an object to read: an io.ReadSeeker for
// http.ServeContent, closed when done.
type section struct {
	*io.SectionReader
	close func() error
}

func (s *section) Close() error {
	if s.close == nil {
		return nil
	}
	return s.close()
}

// open returns size bytes of an object from offset off.
func (o *objectStore) open(kind, key string, off, size int64) (*section, error) {
	if o.dir == "" {
		b, err := o.get(kind, key)
		if err != nil {
			return nil, err
		}
		if off+size > int64(len(b)) {
			return nil, fmt.Errorf("emulator: object %s/%s is shorter than expected", kind, key)
		}
		return &section{SectionReader: io.NewSectionReader(bytes.NewReader(b), off, size)}, nil
	}
	f, err := os.Open(o.path(kind, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoObject
	}
	if err != nil {
		return nil, err
	}
	return &section{SectionReader: io.NewSectionReader(f, off, size), close: f.Close}, nil
}

// objectWriter writes an object whose name is known only at the end. It
// hashes what it writes with SHA-256.
type objectWriter struct {
	o    *objectStore
	kind string
	f    *os.File      // on disk
	buf  *bytes.Buffer // in memory
	sha  hash.Hash
	n    int64
	done bool
}

func (o *objectStore) create(kind string) (*objectWriter, error) {
	w := &objectWriter{o: o, kind: kind, sha: sha256.New()}
	if o.dir == "" {
		w.buf = &bytes.Buffer{}
		return w, nil
	}
	tmp, err := o.tmpDir()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(tmp, kind+"-*")
	if err != nil {
		return nil, err
	}
	w.f = f
	return w, nil
}

func (w *objectWriter) Write(p []byte) (int, error) {
	if w.buf != nil {
		w.o.mu.Lock()
		full := w.o.memBytes+w.n+int64(len(p)) > w.o.memCap
		w.o.mu.Unlock()
		if full {
			return 0, errStoreFull
		}
		w.buf.Write(p)
	} else if _, err := w.f.Write(p); err != nil {
		return 0, err
	}
	w.sha.Write(p)
	w.n += int64(len(p))
	return len(p), nil
}

// sum is the SHA-256 of what was written, in hex.
func (w *objectWriter) sum() string { return hex.EncodeToString(w.sha.Sum(nil)) }

// commit stores what was written as kind/key, durably.
func (w *objectWriter) commit(key string) error {
	w.done = true
	o := w.o
	if w.buf != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		k := w.kind + "/" + key
		if _, ok := o.mem[k]; ok {
			return nil
		}
		if o.memBytes+int64(w.buf.Len()) > o.memCap {
			return errStoreFull
		}
		o.mem[k] = w.buf.Bytes()
		o.memBytes += int64(w.buf.Len())
		return nil
	}
	name := w.f.Name()
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		os.Remove(name)
		return err
	}
	if err := w.f.Close(); err != nil {
		os.Remove(name)
		return err
	}
	dst := o.path(w.kind, key)
	if err := o.mkdir(filepath.Dir(dst)); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, dst); err != nil {
		os.Remove(name)
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// abort drops what was written, unless it was committed.
func (w *objectWriter) abort() {
	if w.done {
		return
	}
	w.done = true
	if w.f != nil {
		w.f.Close()
		os.Remove(w.f.Name())
	}
}

// tmpDir is the folder of objects being written. The first use empties it
// of what a process killed mid-write left there; it comes after New has
// locked the data file, so no other emulator is writing there.
func (o *objectStore) tmpDir() (string, error) {
	tmp := filepath.Join(o.dir, "tmp")
	o.cleanTmp.Do(func() { os.RemoveAll(tmp) })
	return tmp, o.mkdir(tmp)
}

// mkdir makes a folder of the store and, the first time, fsyncs the
// folders above it so that the new entry survives a crash.
func (o *objectStore) mkdir(dir string) error {
	o.mu.Lock()
	made := o.dirsMade[dir]
	o.mu.Unlock()
	if made {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for d := dir; ; d = filepath.Dir(d) {
		parent := filepath.Dir(d)
		if err := syncDir(parent); err != nil {
			return err
		}
		if d == o.dir || parent == d {
			break
		}
	}
	o.mu.Lock()
	o.dirsMade[dir] = true
	o.mu.Unlock()
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	return err
}
