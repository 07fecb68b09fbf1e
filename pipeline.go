package hfhub

import (
	"context"
	"runtime"
	"sync"
)

// transfer runs the steps of a commit before the commit request, as a
// pipeline rather than one step after the other: preupload batches (at most
// 4 at a time) hand the files to hash to a pool of GOMAXPROCS hashers; LFS
// files, once hashed, are grouped into LFS batch calls; their uploads (whole
// files or parts) run on a pool of maxConcurrentPUT workers; the worker that
// sends an object's last part completes and verifies it. So a large file
// uploads while the next one hashes and small files preupload. Goroutines
// and buffers are fixed in number, whatever the number or size of files.
// With dryRun nothing is uploaded.
func (c *Client) transfer(ctx context.Context, op, repoID string, o *CommitOptions, plan *commitPlan, dryRun bool) error {
	files := plan.files
	if len(files) == 0 {
		return nil
	}
	gitIgnore, err := gitIgnoreHint(files)
	if err != nil {
		return wrapOp(op, err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var failOnce sync.Once
	var first error
	fail := func(err error) {
		failOnce.Do(func() { first = err; cancel(err) })
	}

	// Preupload.
	nBatches := (len(files) + preuploadBatch - 1) / preuploadBatch
	batches := make(chan []*pendingFile, nBatches)
	for b := range nBatches {
		batches <- files[b*preuploadBatch : min(len(files), (b+1)*preuploadBatch)]
	}
	close(batches)
	toHash := make(chan *pendingFile, len(files))
	var headsMu sync.Mutex
	heads := map[string]bool{}
	var preuploaders sync.WaitGroup
	for range min(4, nBatches) {
		preuploaders.Go(func() {
			for batch := range batches {
				if ctx.Err() != nil {
					continue
				}
				head, err := c.preuploadBatch(ctx, op, repoID, o, batch, gitIgnore)
				if err != nil {
					fail(err)
					continue
				}
				headsMu.Lock()
				heads[head] = true
				headsMu.Unlock()
				for _, f := range batch {
					if f.needsHash() {
						toHash <- f
					}
				}
			}
		})
	}
	go func() { preuploaders.Wait(); close(toHash) }()

	// Hashing.
	toUpload := make(chan *pendingFile, len(files))
	var hashers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		hashers.Go(func() {
			for f := range toHash {
				if ctx.Err() != nil {
					continue
				}
				if err := f.hash(ctx); err != nil {
					fail(wrapOp(op, err))
					continue
				}
				if f.lfs && !f.skip && !dryRun {
					toUpload <- f
				}
			}
		})
	}
	go func() { hashers.Wait(); close(toUpload) }()

	// LFS: batch calls for whatever is ready, then the uploads.
	jobs := make(chan putJob)
	var dispatcher sync.WaitGroup
	dispatcher.Go(func() {
		defer close(jobs)
		seen := map[string]bool{}
		for f := range toUpload {
			batch := []*pendingFile{f}
		more:
			for len(batch) < lfsBatchSize {
				select {
				case g, ok := <-toUpload:
					if !ok {
						break more
					}
					batch = append(batch, g)
				default:
					break more
				}
			}
			if ctx.Err() != nil {
				continue
			}
			unique := batch[:0]
			for _, g := range batch {
				if !seen[g.sha256] { // the same content under two paths goes up once
					seen[g.sha256] = true
					unique = append(unique, g)
				}
			}
			objs, err := c.lfsBatch(ctx, op, repoID, o, unique)
			if err != nil {
				fail(err)
				continue
			}
			for _, obj := range objs {
				for _, j := range obj.jobs {
					select {
					case jobs <- j:
					case <-ctx.Done():
					}
				}
			}
		}
	})
	var uploaders sync.WaitGroup
	for range maxConcurrentPUT {
		uploaders.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				if err := c.put(ctx, op, j, o.Progress); err != nil {
					fail(err)
					continue
				}
				if j.obj.remaining.Add(-1) == 0 {
					if err := c.finish(ctx, op, j.obj); err != nil {
						fail(err)
					}
				}
			}
		})
	}
	preuploaders.Wait()
	hashers.Wait()
	dispatcher.Wait()
	uploaders.Wait()
	if first != nil {
		return first
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if len(heads) == 1 {
		for h := range heads {
			plan.head = h
		}
	} // else the branch moved between batches: no head to trust
	return nil
}
