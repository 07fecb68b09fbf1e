package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A multipart LFS transfer is assembled in place: each part is written at
// its offset of one temporary file (or buffer) of the object's size, and
// the ETag it was answered with remembered (a token naming that upload of
// the part: clients only echo ETags, so none is computed from the bytes);
// completion checks the ETags, hashes the whole once and, if its SHA-256
// is the oid, fsyncs it and moves it into the store. Parts are not durable before completion (a storage service's
// are not either until the upload is completed): after a restart the
// client starts the object again.

type assembly struct {
	mu    sync.Mutex
	f     *os.File // on disk
	buf   []byte   // in memory
	size  int64
	parts map[int]string // part number → its ETag, unquoted
}

// assembly returns the assembly of an object, creating it.
func (o *objectStore) assembly(oid string, size int64) (*assembly, error) {
	var tmp string
	if o.dir != "" {
		var err error
		if tmp, err = o.tmpDir(); err != nil {
			return nil, err
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.asm == nil {
		o.asm = map[string]*assembly{}
	}
	key := fmt.Sprintf("%s-%d", oid, size)
	if a := o.asm[key]; a != nil {
		return a, nil
	}
	a := &assembly{size: size, parts: map[int]string{}}
	if o.dir == "" {
		if o.memBytes+size > o.memCap {
			return nil, errStoreFull
		}
		o.memBytes += size
		a.buf = make([]byte, size)
	} else {
		f, err := os.CreateTemp(tmp, "upload-*")
		if err != nil {
			return nil, err
		}
		a.f = f
	}
	o.asm[key] = a
	return a, nil
}

// writePart writes part n (want bytes from body) at offset off and returns
// its ETag, unquoted.
func (o *objectStore) writePart(oid string, size int64, n int, off, want int64, body io.Reader) (string, error) {
	a, err := o.assembly(oid, size)
	if err != nil {
		return "", err
	}
	var got int64
	if a.buf != nil {
		m, err := io.ReadFull(body, a.buf[off:off+want])
		got = int64(m)
		if err != nil && err != io.ErrUnexpectedEOF {
			return "", errorf(http.StatusBadRequest, "Could not read part %d", n)
		}
		if got == want {
			var one [1]byte
			if k, _ := body.Read(one[:]); k > 0 {
				got++
			}
		}
	} else {
		got, err = io.Copy(io.NewOffsetWriter(a.f, off), io.LimitReader(body, want+1))
		if err != nil {
			return "", errorf(http.StatusBadRequest, "Could not read part %d", n)
		}
	}
	if got != want {
		return "", errorf(http.StatusBadRequest, "Part %d has %d bytes, want %d", n, got, want)
	}
	sum := randomHex(16)
	a.mu.Lock()
	a.parts[n] = sum
	a.mu.Unlock()
	return sum, nil
}

type partRef struct {
	PartNumber int    `json:"partNumber"`
	Etag       string `json:"etag"`
}

// completeParts checks the parts listed against those written, then the
// whole object against its oid, and stores it durably.
func (o *objectStore) completeParts(oid string, size int64, parts []partRef) error {
	key := fmt.Sprintf("%s-%d", oid, size)
	o.mu.Lock()
	a := o.asm[key]
	o.mu.Unlock()
	if a == nil {
		return errorf(http.StatusBadRequest, "No part of %s was uploaded (or the emulator restarted since): upload the parts again", oid)
	}
	a.mu.Lock()
	for i, p := range parts {
		if p.PartNumber != i+1 {
			a.mu.Unlock()
			return errorf(http.StatusBadRequest, "Part %d is out of order: list the parts from 1 to %d", p.PartNumber, len(parts))
		}
		sum, ok := a.parts[p.PartNumber]
		if !ok {
			a.mu.Unlock()
			return errorf(http.StatusBadRequest, "Part %d was not uploaded", p.PartNumber)
		}
		if strings.Trim(p.Etag, `"`) != sum {
			a.mu.Unlock()
			return errorf(http.StatusBadRequest, "Part %d: etag %s does not match the part uploaded", p.PartNumber, p.Etag)
		}
	}
	a.mu.Unlock()
	h := sha256.New()
	if a.buf != nil {
		h.Write(a.buf)
	} else if _, err := io.Copy(h, io.NewSectionReader(a.f, 0, size)); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != oid {
		o.dropAssembly(key, a)
		return errorf(http.StatusBadRequest, "Checksum mismatch: the parts' SHA-256 is %s, not %s", got, oid)
	}
	o.mu.Lock()
	delete(o.asm, key)
	o.mu.Unlock()
	if a.buf != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		if _, ok := o.mem["lfs/"+oid]; ok {
			o.memBytes -= size
			return nil
		}
		o.mem["lfs/"+oid] = a.buf // its bytes were counted when it was made
		return nil
	}
	name := a.f.Name()
	if err := a.f.Sync(); err != nil {
		a.f.Close()
		os.Remove(name)
		return err
	}
	a.f.Close()
	dst := o.path("lfs", oid)
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

func (o *objectStore) dropAssembly(key string, a *assembly) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.asm, key)
	if a.buf != nil {
		o.memBytes -= a.size
	} else {
		a.f.Close()
		os.Remove(a.f.Name())
	}
}
