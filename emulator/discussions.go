package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Pull requests as discussions: opened with a commit (create_pr=1) or
// with POST /api/spaces/{id}/discussions, read with GET …/discussions/{num},
// merged with POST …/discussions/{num}/merge. Plain discussions (not pull
// requests) are numbered but hold nothing.

func (e *Emulator) discussionRoutes(sp string) {
	e.route("POST "+sp+"/discussions", "discussions", e.handleDiscussionCreate)
	e.route("GET "+sp+"/discussions/{num}", "discussions", e.handleDiscussionGet)
	e.route("POST "+sp+"/discussions/{num}/merge", "discussions", e.handleDiscussionMerge)
}

// handleDiscussionCreate opens a discussion; with pullRequest, a pull
// request from the head of main, to commit to at refs/pr/{num}.
func (e *Emulator) handleDiscussionCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		PullRequest bool   `json:"pullRequest"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if strings.TrimSpace(req.Title) == "" {
		fail(w, http.StatusBadRequest, "", "A discussion needs a title")
		return
	}
	var num int
	err := e.lockedPR(r, spaceID(r), true, true, func(s *space, now time.Time) error {
		rec := &s.rec
		if err := e.ensureRepo(rec); err != nil {
			return err
		}
		repo := rec.Repo
		repo.Discussions++
		num = repo.Discussions
		if req.PullRequest {
			head := repo.Branches["main"]
			repo.PRs = append(repo.PRs, pullRequest{Num: num, Head: head, Base: head, Target: "main",
				Title: strings.TrimSpace(req.Title), Author: callerOf(r).user, CreatedAt: now, Status: "open"})
		}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"num", num}, {"pullRequest", req.PullRequest},
		{"url", fmt.Sprintf("%s/discussions/%d", spaceURL(r, spaceID(r)), num)}})
}

func prNum(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("num"))
	if err != nil || n < 1 {
		return 0, errorf(http.StatusBadRequest, "Invalid discussion number %q", r.PathValue("num"))
	}
	return n, nil
}

func errNoDiscussion(n int) *apiError {
	return errorf(http.StatusNotFound, "Discussion #%d not found", n)
}

// discussionObject is a pull request as GET …/discussions/{num} answers it.
func discussionObject(rec *spaceRecord, pr *pullRequest) obj {
	changes := obj{{"base", "refs/heads/" + pr.Target}}
	if pr.MergeCommit != "" {
		changes = append(changes, kv{"mergeCommitId", pr.MergeCommit})
	}
	return obj{
		{"num", pr.Num},
		{"title", pr.Title},
		{"status", pr.Status},
		{"isPullRequest", true},
		{"createdAt", hubTime(pr.CreatedAt)},
		{"author", obj{{"name", pr.Author}}},
		{"repo", obj{{"name", rec.ID}, {"type", "space"}}},
		{"events", []obj{}},
		{"changes", changes},
		{"filesWithConflicts", []string{}},
	}
}

func (e *Emulator) handleDiscussionGet(w http.ResponseWriter, r *http.Request) {
	n, err := prNum(r)
	if err != nil {
		failErr(w, err)
		return
	}
	var answer obj
	err = e.locked(r, spaceID(r), accessRead, func(s *space, now time.Time) error {
		if err := e.ensureRepo(&s.rec); err != nil {
			return err
		}
		pr := s.rec.Repo.pr(fmt.Sprintf("refs/pr/%d", n))
		if pr == nil {
			return errNoDiscussion(n)
		}
		answer = discussionObject(&s.rec, pr)
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// handleDiscussionMerge merges a pull request into its target: a merge
// commit whose files take each path's change from the side that changed
// it since the pull request's base; a path both sides changed differently
// is a conflict (409). Merging into main rebuilds the Space.
func (e *Emulator) handleDiscussionMerge(w http.ResponseWriter, r *http.Request) {
	n, err := prNum(r)
	if err != nil {
		failErr(w, err)
		return
	}
	err = e.mutate(r, spaceID(r), accessWrite, func(s *space, now time.Time) error {
		rec := &s.rec
		if err := e.ensureRepo(rec); err != nil {
			return err
		}
		pr := rec.Repo.pr(fmt.Sprintf("refs/pr/%d", n))
		if pr == nil {
			return errNoDiscussion(n)
		}
		if pr.Status != "open" {
			return errorf(http.StatusBadRequest, "Pull request #%d is %s", n, pr.Status)
		}
		target, ok := rec.Repo.Branches[pr.Target]
		if !ok {
			return errRevision(pr.Target)
		}
		files, conflicts, err := e.merge3(pr.Base, target, pr.Head)
		if err != nil {
			return err
		}
		if len(conflicts) > 0 {
			return errorf(http.StatusConflict, "Pull request #%d has conflicts with %s: %s", n, pr.Target, strings.Join(conflicts, ", "))
		}
		c := &commitObject{}
		t := newTree(files)
		if err := e.putTree(t); err != nil {
			return err
		}
		c.Tree, c.Parents = t.ID, []string{target, pr.Head}
		c.Author, c.Date = callerOf(r).user, now.UTC().Truncate(time.Second)
		c.Title = fmt.Sprintf("Merge pull request #%d: %s", n, pr.Title)
		if err := e.putCommit(c); err != nil {
			return err
		}
		rec.Repo.Branches[pr.Target] = c.ID
		pr.Status, pr.MergeCommit = "merged", c.ID
		if pr.Target == "main" {
			e.setMain(rec, c, t)
			if rec.Stage != StagePaused {
				e.startBuild(rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
				e.settle(rec, now)
			}
		}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{})
}

// merge3 merges the files of ours and theirs, both descended from base.
func (e *Emulator) merge3(base, ours, theirs string) ([]fileEntry, []string, error) {
	var trees [3]*treeState
	for i, id := range []string{base, ours, theirs} {
		t, err := e.treeOf(id)
		if err != nil {
			return nil, nil, err
		}
		trees[i] = t
	}
	oid := func(t *treeState, p string) string {
		if f := t.file(p); f != nil {
			return f.Oid
		}
		return ""
	}
	paths := map[string]bool{}
	for _, t := range trees {
		for _, f := range t.Entries {
			paths[f.Path] = true
		}
	}
	var out []fileEntry
	var conflicts []string
	for _, p := range sortedKeys(paths) {
		b, o, th := oid(trees[0], p), oid(trees[1], p), oid(trees[2], p)
		src := trees[1]
		switch {
		case th == b || th == o:
		case o == b:
			src = trees[2]
		default:
			conflicts = append(conflicts, p)
			continue
		}
		if f := src.file(p); f != nil {
			out = append(out, *f)
		}
	}
	return out, conflicts, nil
}
