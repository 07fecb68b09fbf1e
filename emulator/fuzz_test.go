package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// bodyRoutes are the mutation routes that read a request body.
var bodyRoutes = []struct {
	method, path string
	ndjson       bool // the body is NDJSON, not one JSON value
}{
	{"POST", "/api/spaces/demo/gradio-app/variables", false},
	{"DELETE", "/api/spaces/demo/gradio-app/variables", false},
	{"POST", "/api/spaces/demo/gradio-app/secrets", false},
	{"DELETE", "/api/spaces/demo/gradio-app/secrets", false},
	{"POST", "/api/spaces/demo/gradio-app/hardware", false},
	{"POST", "/api/spaces/demo/gradio-app/sleeptime", false},
	{"POST", "/api/spaces/demo/gradio-app/dev-mode", false},
	{"POST", "/api/spaces/demo/gradio-app/storage", false},
	{"PUT", "/api/spaces/demo/gradio-app/volumes", false},
	{"POST", "/api/spaces/demo/gradio-app/duplicate", false},
	{"POST", "/api/repos/create", false},
	{"DELETE", "/api/repos/delete", false},
	{"POST", "/api/spaces/demo/gradio-app/preupload/main", false},
	{"POST", "/api/spaces/demo/gradio-app/commit/main", true},
}

// FuzzHandler sends arbitrary bodies to every mutation route that reads
// one: the emulator must never panic or fail with a 5xx, and a body that is
// not JSON at all is a 4xx.
func FuzzHandler(f *testing.F) {
	for i := range bodyRoutes {
		for _, body := range []string{
			``, `{}`, `null`, `[]`, `"x"`, `{"key":`, `{"key":"A","value":"1"}`, `{"key":"A","value":1}`,
			`{"key":null}`, `{"flavor":"t4-small","sleepTimeSeconds":-1}`, `{"seconds":-1}`, `{"enabled":true}`,
			`{"tier":"small"}`, `{"volumes":[{"type":"dataset","source":"a/b","mountPath":"/d"}]}`,
			`{"volumes":[null]}`, `{"repository":"demo/copy","visibility":"private","secrets":[{"key":"S","value":"v"}]}`,
			`{"name":"n","type":"space","sdk":"gradio","variables":[{"key":"A","value":"1"}],"volumes":[{}]}`,
			`{"name":"gradio-app","organization":"demo","type":"space"}`,
			`{"files":[{"path":"app.py","size":-1}]}`,
			"{\"key\":\"header\",\"value\":{}}\n{\"key\":\"file\",\"value\":{\"path\":\"\",\"content\":\"!\",\"encoding\":\"base64\"}}",
			"{\"key\":\"header\"}\n{\"key\":\"deletedFolder\",\"value\":{\"path\":\"\"}}",
			"{\"key\":\"header\"}\nnull\n[]",
			"\x00\xff{", `{"key":"A","value":"\ud800"}`,
		} {
			f.Add(uint8(i), body)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		e, err := New(Config{Seed: DemoSeed, Clock: NewFakeClock(t0)})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		req := httptest.NewRequest(rt.method, "http://hub.test"+rt.path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", rt.method, rt.path, body, w.Code, w.Body)
		}
		if !rt.ndjson && !json.Valid([]byte(body)) && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("%s %s with a body that is not JSON %q: %d, want a 4xx", rt.method, rt.path, body, w.Code)
		}
		if w.Code >= 400 && w.Header().Get("X-Error-Message") == "" && w.Code != http.StatusConflict {
			t.Errorf("%s %s %q: %d without X-Error-Message", rt.method, rt.path, body, w.Code)
		}
	})
}
