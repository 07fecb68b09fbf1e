package emulator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// listAll follows a listing's Link headers and returns the ids of every
// page, and how many pages there were.
func (h *hub) listAll(path, token string) ([]string, int) {
	h.t.Helper()
	var ids []string
	pages := 0
	for path != "" {
		r := h.do("GET", path, token, nil)
		mustStatus(h.t, r, 200)
		pages++
		for _, s := range r.json(h.t).([]any) {
			ids = append(ids, field(s, "id").(string))
		}
		path = ""
		if link := r.header.Get("Link"); link != "" {
			u, rel, ok := strings.Cut(link, ">; ")
			if !ok || rel != `rel="next"` || !strings.HasPrefix(u, "<"+h.base+"/api/spaces?") {
				h.t.Fatalf("Link header %q", link)
			}
			path = strings.TrimPrefix(u, "<"+h.base)
		}
		if pages > 100 {
			h.t.Fatal("the pages never end")
		}
	}
	return ids, pages
}

func TestListQuery(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", ListPageSize: 2})
	all := []string{"demo-org/team-space", "demo/broken-build", "demo/gpu-app", "demo/gradio-app", "demo/static-site"}
	for _, tc := range []struct {
		query string
		want  []string
		pages int
	}{
		// Without limit: the default page size, then Link.
		{"", all, 3},
		// A limit beyond the page size is cut to it.
		{"?limit=100", all, 3},
		{"?limit=1&author=demo-org", []string{"demo-org/team-space"}, 1},
		{"?limit=1&author=demo", all[1:], 4},
		{"?search=APP", []string{"demo/gpu-app", "demo/gradio-app"}, 1},
		{"?filter=static", []string{"demo/static-site"}, 1},
		{"?filter=gradio&filter=region:us&author=demo", []string{"demo/broken-build", "demo/gpu-app", "demo/gradio-app"}, 2},
		{"?filter=docker", nil, 1},
		// Sorted: descending unless told otherwise, ties by id; paging
		// goes on in that order.
		{"?sort=likes&author=demo", []string{"demo/gradio-app", "demo/broken-build", "demo/gpu-app", "demo/static-site"}, 2},
		{"?sort=likes&direction=1&author=demo", []string{"demo/broken-build", "demo/gpu-app", "demo/static-site", "demo/gradio-app"}, 2},
		{"?direction=-1", []string{"demo/static-site", "demo/gradio-app", "demo/gpu-app", "demo/broken-build", "demo-org/team-space"}, 3},
		{"?sort=createdAt&limit=1&author=demo", []string{"demo/broken-build", "demo/gpu-app", "demo/gradio-app", "demo/static-site"}, 4},
	} {
		ids, pages := h.listAll("/api/spaces"+tc.query, DemoWriteToken)
		if diff := cmp.Diff(tc.want, ids); diff != "" || pages != tc.pages {
			t.Errorf("%s: %d pages, want %d; ids (-want +got):\n%s", tc.query, pages, tc.pages, diff)
		}
	}
	for _, bad := range []struct{ query, says string }{
		{"?expand=author&expand=downloads", `Invalid expand value "downloads": must be one of author, cardData, `},
		{"?sort=downloads", `Invalid sort "downloads": must be one of createdAt, lastModified, likes, trendingScore`},
		{"?sort=likes&direction=up", `Invalid direction "up"`},
		{"?limit=-1", `Invalid limit "-1"`},
		{"?cursor=!!!", `Invalid cursor`},
	} {
		r := h.do("GET", "/api/spaces"+bad.query, DemoWriteToken, nil)
		mustStatus(t, r, 400)
		if !strings.Contains(fmt.Sprint(field(r.json(t), "error")), bad.says) {
			t.Errorf("%s: %s, want it to say %q", bad.query, r.body, bad.says)
		}
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app?expand=nope", DemoWriteToken, nil), 400)
	// Keys the Space object does not carry, as the Python client expands
	// them.
	r := h.do("GET", "/api/spaces?author=demo-org&expand=region&expand=trendingScore&expand=resourceGroup", DemoWriteToken, nil)
	if diff := cmp.Diff([]any{map[string]any{"_id": field(r.json(t).([]any)[0], "_id"), "id": "demo-org/team-space", "region": "us", "trendingScore": 0.0, "resourceGroup": nil}}, r.json(t)); diff != "" {
		t.Errorf("expanded keys (-want +got):\n%s", diff)
	}
}

// TestListLargeAndConsistent: a page of 301 Spaces, written in chunks,
// holds them all once; private ones stay hidden from others.
func TestListLargeAndConsistent(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	for i := range 300 {
		if err := h.e.AddSpace(SpaceSpec{ID: fmt.Sprintf("other/s%03d", i), Private: i%2 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	ids, pages := h.listAll("/api/spaces?author=other&limit=1000", OtherWriteToken)
	if len(ids) != 301 || pages != 1 {
		t.Errorf("%d Spaces in %d pages, want 301 in 1", len(ids), pages)
	}
	ids, _ = h.listAll("/api/spaces?author=other", DemoWriteToken)
	if len(ids) != 150 {
		t.Errorf("demo sees %d of other's Spaces, want the 150 public ones", len(ids))
	}
}
