package emulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// defaultPageSize is the most Spaces a page of GET /api/spaces holds when
// Config.ListPageSize is 0; limit asks for fewer, never more.
const defaultPageSize = 1000

// expandable are the keys expand= may name: the union of those the
// official clients send (ExpandSpaceProperty_T in the Python client,
// SPACE_EXPANDABLE_KEYS in the JavaScript client, xetEnabled in its
// revision requests).
var expandable = []string{
	"author", "cardData", "createdAt", "datasets", "disabled", "gitalyUid", "lastModified", "likes",
	"models", "private", "region", "resourceGroup", "runtime", "sdk", "sha", "siblings", "subdomain",
	"tags", "trendingScore", "usedStorage", "xetEnabled",
}

// sortKeys are the values of sort=, as the Python client sends them (it
// turns last_modified into lastModified, and so on).
var sortKeys = []string{"createdAt", "lastModified", "likes", "trendingScore"}

// expandKeys reads expand= (or expand[]=, as some clients write it): the
// keys asked for, or a 400 naming the valid ones.
func expandKeys(q url.Values) ([]string, error) {
	want := append(q["expand"], q["expand[]"]...)
	for _, k := range want {
		if !slices.Contains(expandable, k) {
			return nil, errorf(http.StatusBadRequest, "Invalid expand value %q: must be one of %s", k, strings.Join(expandable, ", "))
		}
	}
	return want, nil
}

// expanded keeps _id, id and the keys asked for, or the whole object when
// none are. Keys the Space object does not carry get the Hub's value for a
// Space of the emulator.
func expanded(o obj, want []string) obj {
	if len(want) == 0 {
		return o
	}
	out := obj{}
	for _, m := range o {
		if m.k == "_id" || m.k == "id" || slices.Contains(want, m.k) {
			out = append(out, m)
		}
	}
	extra := map[string]any{"region": "us", "trendingScore": 0, "resourceGroup": nil, "xetEnabled": false}
	for _, k := range want {
		v, ok := extra[k]
		if k == "gitalyUid" {
			v, ok = "emulator", true
		}
		if ok && !slices.ContainsFunc(out, func(m kv) bool { return m.k == k }) {
			out = append(out, kv{k, v})
		}
	}
	return out
}

// listQuery is a parsed GET /api/spaces.
type listQuery struct {
	author, search string
	filters        []string
	sort           string // "" is by id
	desc           bool
	limit          int
	full           bool
	expand         []string
	after          *listEntry // the cursor: the last entry of the previous page
}

// listEntry is a Space as a listing sorts it.
type listEntry struct {
	id  string
	key int64
	s   *space
}

func (e *Emulator) pageSize() int {
	if e.cfg.ListPageSize > 0 {
		return e.cfg.ListPageSize
	}
	return defaultPageSize
}

func (e *Emulator) parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{
		author: q.Get("author"), search: strings.ToLower(q.Get("search")), filters: q["filter"],
		sort: q.Get("sort"), limit: e.pageSize(),
	}
	if lq.sort != "" && !slices.Contains(sortKeys, lq.sort) {
		return lq, errorf(http.StatusBadRequest, "Invalid sort %q: must be one of %s", lq.sort, strings.Join(sortKeys, ", "))
	}
	// The Hub sorts in descending order unless told otherwise.
	lq.desc = lq.sort != ""
	switch d := q.Get("direction"); d {
	case "":
	case "-1":
		lq.desc = true
	case "1":
		lq.desc = false
	default:
		return lq, errorf(http.StatusBadRequest, "Invalid direction %q: must be 1 or -1", d)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return lq, errorf(http.StatusBadRequest, "Invalid limit %q: must be a non-negative integer", l)
		}
		if n > 0 {
			lq.limit = min(n, lq.limit)
		}
	}
	switch f := q.Get("full"); f {
	case "true", "True", "1":
		lq.full = true
	}
	var err error
	if lq.expand, err = expandKeys(q); err != nil {
		return lq, err
	}
	if cur := q.Get("cursor"); cur != "" {
		b, err := base64.RawURLEncoding.DecodeString(cur)
		key, id, ok := strings.Cut(string(b), ":")
		n, nerr := strconv.ParseInt(key, 10, 64)
		if err != nil || !ok || nerr != nil {
			return lq, errorf(http.StatusBadRequest, "Invalid cursor")
		}
		lq.after = &listEntry{id: id, key: n}
	}
	return lq, nil
}

// sortKey is the value a Space sorts by. e.mu must be held.
func (lq *listQuery) sortKey(rec *spaceRecord) int64 {
	switch lq.sort {
	case "likes":
		return int64(rec.Likes)
	case "createdAt":
		return rec.CreatedAt.UnixNano()
	case "lastModified":
		return rec.LastModified.UnixNano()
	}
	return 0 // by id; trendingScore is 0 for every Space of the emulator
}

// before reports whether a comes before b in the listing's order: by the
// sort key in its direction, then by id.
func (lq *listQuery) before(a, b *listEntry) bool {
	if a.key != b.key {
		return (a.key < b.key) != lq.desc
	}
	if lq.sort == "" && lq.desc {
		return a.id > b.id
	}
	return a.id < b.id
}

// matches reports whether the listing shows the Space to caller user.
// e.mu must be held.
func (e *Emulator) listMatches(lq *listQuery, user string, rec *spaceRecord) bool {
	if rec.Private && !e.isMember(user, rec.namespace()) {
		return false
	}
	if lq.author != "" && rec.Author != lq.author {
		return false
	}
	if lq.search != "" && !containsFold(rec.ID, lq.search) {
		return false
	}
	for _, f := range lq.filters {
		if f != rec.SDK && f != "region:us" {
			return false
		}
	}
	return true
}

// containsFold reports whether lower, in lower case, is within s, ASCII
// letters compared without regard to case, without allocating.
func containsFold(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		j := 0
		for ; j < len(lower); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}

// listChunk is how many Spaces a listing writes per hold of e.mu, and
// listFilterChunk how many it checks against its filters.
const (
	listChunk       = 64
	listFilterChunk = 512
)

// handleList answers GET /api/spaces: the Spaces the caller may see,
// filtered (author, search, filter), sorted (sort, direction), a page at a
// time (limit, at most the page size) with a Link to the next page. It
// holds e.mu to pick the matching Spaces and then for every listChunk
// Spaces it writes, never for the whole listing: a Space deleted meanwhile
// is left out, one changed meanwhile is shown as it is then.
func (e *Emulator) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, err := e.parseListQuery(q)
	if err != nil {
		failErr(w, err)
		return
	}
	user := callerOf(r).user

	// Every Space, then those that match, a chunk per hold of e.mu: the
	// records are read only in the chunks, and memory is allocated outside.
	e.mu.Lock()
	n := len(e.spaces)
	e.mu.Unlock()
	all := make([]*space, 0, n+n/8+16)
	e.mu.Lock()
	for _, s := range e.spaces {
		all = append(all, s)
	}
	e.mu.Unlock()
	entries := make([]listEntry, 0, len(all))
	for len(all) > 0 {
		chunk := all[:min(listFilterChunk, len(all))]
		all = all[len(chunk):]
		e.mu.Lock()
		for _, s := range chunk {
			if e.spaces[s.rec.ID] == s && e.listMatches(&lq, user, &s.rec) {
				entries = append(entries, listEntry{id: s.rec.ID, key: lq.sortKey(&s.rec), s: s})
			}
		}
		e.mu.Unlock()
	}

	slices.SortFunc(entries, func(a, b listEntry) int {
		switch {
		case lq.before(&a, &b):
			return -1
		case lq.before(&b, &a):
			return 1
		}
		return 0
	})
	start := 0
	if lq.after != nil {
		start, _ = slices.BinarySearchFunc(entries, *lq.after, func(a, b listEntry) int {
			if lq.before(&a, &b) || a.id == b.id && a.key == b.key {
				return -1
			}
			return 1
		})
	}
	page := entries[start:min(start+lq.limit, len(entries))]
	more := start+len(page) < len(entries)

	// Under e.mu, a chunk at a time: settle each Space and take what its
	// answer needs — the short form's fields copied, or the object built
	// (it shares only immutable strings and slices replaced whole, never
	// changed in place). The JSON is written after, without the lock.
	type item struct {
		short     bool
		objectID  string
		id        string
		likes     int
		private   bool
		sdk       string
		createdAt time.Time
		o         obj
	}
	items := make([]item, len(page))
	kept := items[:0]
	per := listChunk
	if lq.full || len(lq.expand) > 0 {
		per = listChunk / 32 // whole objects: more to build per Space
	}
	for len(page) > 0 {
		chunk := page[:min(per, len(page))]
		page = page[len(chunk):]
		now := e.clock.Now()
		e.mu.Lock()
		for _, en := range chunk {
			if e.spaces[en.id] != en.s {
				continue // deleted since
			}
			rec := &en.s.rec
			if e.settle(rec, now) {
				e.notify(en.s)
			}
			switch {
			case len(lq.expand) > 0:
				kept = append(kept, item{o: expanded(infoObject(rec), lq.expand)})
			case lq.full:
				kept = append(kept, item{o: listObject(rec, true)})
			default:
				kept = append(kept, item{short: true, objectID: rec.ObjectID, id: rec.ID, likes: rec.Likes,
					private: rec.Private, sdk: rec.SDK, createdAt: rec.CreatedAt})
			}
		}
		e.mu.Unlock()
	}
	body := make([]byte, 0, 256*len(kept)+2)
	body = append(body, '[')
	for i, it := range kept {
		if i > 0 {
			body = append(body, ',')
		}
		o := it.o
		if it.short {
			o = shortListObject(it.objectID, it.id, it.likes, it.private, it.sdk, it.createdAt)
		}
		if body, err = appendJSON(body, o); err != nil {
			failErr(w, err)
			return
		}
	}
	body = append(body, ']')
	if more {
		last := entries[start+lq.limit-1]
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(last.key, 10)+":"+last.id)))
		w.Header().Set("Link", "<"+baseURL(r)+"/api/spaces?"+nq.Encode()+`>; rel="next"`)
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", body)
}
