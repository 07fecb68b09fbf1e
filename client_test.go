package hfhub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// userAgentRE is the User-Agent the client must send without WithUserAgent:
// "hfhub-go/<version>; go/<runtime version>".
var userAgentRE = regexp.MustCompile(`^hfhub-go/[^;\s]+; go/(go)?` +
	regexp.QuoteMeta(strings.TrimPrefix(runtime.Version(), "go")) + `$`)

func TestClient_RequestHeaders(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		if got, want := r.Header.Get("Authorization"), "Bearer "+testToken; got != want {
			t.Errorf("Authorization = %q, want %q", got, want)
		}
		if got := r.Header.Get("User-Agent"); !userAgentRE.MatchString(got) {
			t.Errorf("User-Agent = %q, want it to match %s", got, userAgentRE)
		}
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
}

func TestClient_NoTokenNoAuthorization(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithNoToken())
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Values("Authorization"); got != nil {
			t.Errorf("Authorization = %q, want no such header", got)
		}
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
}

func TestClient_WithUserAgentAppends(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithUserAgent("my-tool/1.2"))
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("User-Agent")
		base, extra, ok := strings.Cut(got, "; my-tool/1.2")
		if !ok || extra != "" || !userAgentRE.MatchString(base) {
			t.Errorf("User-Agent = %q, want the default one followed by %q", got, "; my-tool/1.2")
		}
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
}

func TestClient_WithHTTPClientIsUsed(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if got, want := r.URL.String(), "https://hub.test/api/spaces/user/space/runtime"; got != want {
			t.Errorf("URL = %q, want %q", got, want)
		}
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	client := memClient(t, h)
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("the given http.Client's transport saw %d requests, want 1", got)
	}
}

func TestNewClient_MakesNoNetworkCall(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
	}))
	defer srv.Close()
	if _, err := NewClient(WithEndpoint(srv.URL)); err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken), WithUserAgent("x/1")); err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("NewClient sent %d requests, want none", got)
	}
}

func TestNewClient_InvalidOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  Option
	}{
		{"nil http client", WithHTTPClient(nil)},
		{"endpoint without scheme", WithEndpoint("huggingface.co")},
		{"endpoint missing scheme", WithEndpoint("://huggingface.co")},
		{"endpoint without host", WithEndpoint("https://")},
		{"endpoint with space in host", WithEndpoint("https://hugging face.co")},
		{"endpoint with bad escape", WithEndpoint("https://huggingface.co/%zz")},
		{"endpoint with a query", WithEndpoint("https://huggingface.co/?x=1")},
		{"endpoint with another scheme", WithEndpoint("ftp://huggingface.co")},
		{"nil logger", WithLogger(nil)},
		{"user agent on two lines", WithUserAgent("tool/1\r\nX-Evil: 1")},
		{"negative retries", WithRetry(RetryPolicy{MaxRetries: -1})},
		{"negative backoff", WithRetry(RetryPolicy{MaxRetries: 1, MinBackoff: -time.Second})},
		{"negative max wait", WithRetry(RetryPolicy{MaxRetries: 1, MaxWait: -time.Second})},
		{"token on two lines", WithToken("hf_abc\nhf_def")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithToken(testToken), tt.opt)
			if err == nil {
				t.Fatalf("NewClient succeeded (client %v), want an error", c)
			}
			if strings.Contains(err.Error(), "hf_") {
				t.Errorf("the error %q holds the token", err)
			}
		})
	}
}

func TestClient_WhoAmI(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/whoami-v2", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"type":"user","id":"5f1","name":"alice","fullname":"Alice A.",
			"email":"alice@example.com","canPay":false,"isPro":false,
			"orgs":[{"type":"org","name":"acme","fullname":"ACME"},{"type":"org","name":"hf-friends"}],
			"auth":{"type":"access_token","accessToken":{"displayName":"ci","role":"write"}}}`)
	})
	user, err := client.WhoAmI(t.Context())
	if err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if user.Name != "alice" || user.Type != "user" {
		t.Errorf("WhoAmI = name %q type %q, want alice user", user.Name, user.Type)
	}
	var orgs []string
	for _, o := range user.Orgs {
		orgs = append(orgs, o.Name)
	}
	if diff := cmp.Diff([]string{"acme", "hf-friends"}, orgs); diff != "" {
		t.Errorf("orgs mismatch (-want +got):\n%s", diff)
	}
	if got := user.TokenRole; got != "write" {
		t.Errorf("token role = %q, want write", got)
	}
}

// TestClient_ConcurrentUse runs many calls at once; under -race it checks
// the client is safe for concurrent use.
func TestClient_ConcurrentUse(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			rt, err := client.Spaces.GetRuntime(t.Context(), "user/space")
			if err != nil {
				t.Errorf("GetRuntime: %v", err)
				return
			}
			if rt.Stage != StageBuilding {
				t.Errorf("stage = %q, want %q", rt.Stage, StageBuilding)
			}
		})
	}
	wg.Wait()
	if got := calls.Load(); got != 16 {
		t.Errorf("server saw %d requests, want 16", got)
	}
}

// TestClient_ReusesConnections checks that bodies are read and closed so the
// transport keeps its connection: sequential calls, successful or not, all
// come over one TCP connection.
func TestClient_ReusesConnections(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(noRetry))
	var mu sync.Mutex
	remotes := map[string]int{}
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes[r.RemoteAddr]++
		mu.Unlock()
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	mux.HandleFunc("/api/spaces/user/gone/runtime", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes[r.RemoteAddr]++
		mu.Unlock()
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeJSON(w, http.StatusNotFound, `{"error":"Repository not found"}`)
	})
	for i := range 6 {
		id := "user/space"
		if i%2 == 1 {
			id = "user/gone"
		}
		_, err := client.Spaces.GetRuntime(t.Context(), id)
		if (err != nil) != (id == "user/gone") {
			t.Fatalf("GetRuntime(%q): error %v", id, err)
		}
	}
	if len(remotes) != 1 {
		t.Errorf("requests came over %d connections (%v), want 1", len(remotes), remotes)
	}
}

// TestClient_ReusesConnectionsWithoutDecoding: calls that ignore the
// answer's body (DeleteSecret, SetVolumes) must still read it to the end,
// or the transport closes the connection instead of reusing it.
func TestClient_ReusesConnectionsWithoutDecoding(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t, WithRetry(noRetry))
	var mu sync.Mutex
	remotes := map[string]int{}
	answer := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes[r.RemoteAddr]++
		mu.Unlock()
		// An answer too big to arrive in the same read as the headers.
		writeJSON(w, http.StatusOK, `{"padding":"`+strings.Repeat("x", 64<<10)+`"}`)
	}
	mux.HandleFunc("/api/spaces/user/space/secrets", answer)
	mux.HandleFunc("/api/spaces/user/space/volumes", answer)
	for range 3 {
		if err := client.Spaces.DeleteSecret(t.Context(), "user/space", "K"); err != nil {
			t.Fatalf("DeleteSecret: %v", err)
		}
		if err := client.Spaces.SetVolumes(t.Context(), "user/space", nil); err != nil {
			t.Fatalf("SetVolumes: %v", err)
		}
	}
	if len(remotes) != 1 {
		t.Errorf("requests came over %d connections (%v), want 1", len(remotes), remotes)
	}
}

// TestClient_RedirectToOtherHostDropsToken follows a redirect from 127.0.0.1
// to localhost: a different host, which must not receive the token.
func TestClient_RedirectToOtherHostDropsToken(t *testing.T) {
	t.Parallel()
	var otherCalls atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherCalls.Add(1)
		if got := r.Header.Values("Authorization"); got != nil {
			t.Errorf("the other host received Authorization %q", got)
		}
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	}))
	defer other.Close()
	_, port, err := net.SplitHostPort(other.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("first host: Authorization = %q, want the token", got)
		}
		http.Redirect(w, r, "http://localhost:"+port+"/elsewhere/runtime", http.StatusFound)
	})
	rt, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if rt.Stage != StageBuilding {
		t.Errorf("stage = %q, want %q from the other host", rt.Stage, StageBuilding)
	}
	if otherCalls.Load() != 1 {
		t.Errorf("other host saw %d requests, want 1", otherCalls.Load())
	}
}

// TestClient_RedirectToOtherPortDropsToken: another port on the same
// address is another server (URL host "127.0.0.1:B", not "127.0.0.1:A"),
// which net/http alone would still give the token.
func TestClient_RedirectToOtherPortDropsToken(t *testing.T) {
	t.Parallel()
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Values("Authorization")
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	}))
	defer other.Close()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere/runtime", http.StatusFound)
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/space"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if got != nil {
		t.Errorf("the server on another port received Authorization %q", got)
	}
}

func TestClient_RedirectOnSameHostKeepsToken(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/old-name/runtime", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/spaces/user/new-name/runtime", http.StatusTemporaryRedirect)
	})
	var got string
	mux.HandleFunc("/api/spaces/user/new-name/runtime", func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "user/old-name"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if want := "Bearer " + testToken; got != want {
		t.Errorf("after a same-host redirect Authorization = %q, want %q", got, want)
	}
}

// The tests below change the process environment, so they cannot run in
// parallel with anything.

// clearHubEnv removes every variable that decides the endpoint and the token,
// and points HOME at an empty folder, so a developer's own login cannot leak
// into a test. It returns that HOME.
func clearHubEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{
		"HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME",
		"XDG_CACHE_HOME", "HF_HUB_DISABLE_IMPLICIT_TOKEN",
	} {
		t.Setenv(k, "") // restores the old value when the test ends
		os.Unsetenv(k)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

func writeTokenFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sentAuthorization builds a client with opts and returns the Authorization
// header its first request carries ("" when none), answered in memory.
func sentAuthorization(t *testing.T, opts ...Option) string {
	t.Helper()
	var got []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Values("Authorization")
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice"}`)
	})
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: handlerTransport{h}})}, opts...)
	client, err := NewClient(opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := client.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if len(got) > 1 {
		t.Errorf("%d Authorization headers sent: %q", len(got), got)
	}
	if len(got) == 0 {
		return ""
	}
	return got[0]
}

func TestNewClient_TokenFromEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  func(t *testing.T, home string)
		opts []Option
		want string // the Authorization header, "" for none
	}{
		{
			name: "nothing configured",
			env:  func(t *testing.T, home string) {},
			want: "",
		},
		{
			name: "HF_TOKEN trimmed",
			env:  func(t *testing.T, home string) { t.Setenv("HF_TOKEN", "  hf_env \n") },
			want: "Bearer hf_env",
		},
		{
			name: "HF_TOKEN before HUGGING_FACE_HUB_TOKEN",
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_first")
				t.Setenv("HUGGING_FACE_HUB_TOKEN", "hf_second")
			},
			want: "Bearer hf_first",
		},
		{
			name: "HUGGING_FACE_HUB_TOKEN alone",
			env:  func(t *testing.T, home string) { t.Setenv("HUGGING_FACE_HUB_TOKEN", "hf_legacy") },
			want: "Bearer hf_legacy",
		},
		{
			name: "empty HF_TOKEN means none",
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "   ")
				t.Setenv("HUGGING_FACE_HUB_TOKEN", "hf_legacy")
			},
			want: "Bearer hf_legacy",
		},
		{
			name: "HF_TOKEN before the token file",
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_env")
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), "hf_file")
			},
			want: "Bearer hf_env",
		},
		{
			name: "HF_TOKEN_PATH",
			env: func(t *testing.T, home string) {
				p := filepath.Join(t.TempDir(), "my-token")
				writeTokenFile(t, p, "hf_from_token_path\n")
				t.Setenv("HF_TOKEN_PATH", p)
			},
			want: "Bearer hf_from_token_path",
		},
		{
			name: "HF_TOKEN_PATH before HF_HOME",
			env: func(t *testing.T, home string) {
				p := filepath.Join(t.TempDir(), "my-token")
				writeTokenFile(t, p, "hf_from_token_path")
				t.Setenv("HF_TOKEN_PATH", p)
				hfHome := t.TempDir()
				writeTokenFile(t, filepath.Join(hfHome, "token"), "hf_from_hf_home")
				t.Setenv("HF_HOME", hfHome)
			},
			want: "Bearer hf_from_token_path",
		},
		{
			name: "HF_HOME/token",
			env: func(t *testing.T, home string) {
				hfHome := t.TempDir()
				writeTokenFile(t, filepath.Join(hfHome, "token"), " hf_from_hf_home\n")
				t.Setenv("HF_HOME", hfHome)
			},
			want: "Bearer hf_from_hf_home",
		},
		{
			name: "HF_HOME before XDG_CACHE_HOME",
			env: func(t *testing.T, home string) {
				hfHome := t.TempDir()
				writeTokenFile(t, filepath.Join(hfHome, "token"), "hf_from_hf_home")
				t.Setenv("HF_HOME", hfHome)
				xdg := t.TempDir()
				writeTokenFile(t, filepath.Join(xdg, "huggingface", "token"), "hf_from_xdg")
				t.Setenv("XDG_CACHE_HOME", xdg)
			},
			want: "Bearer hf_from_hf_home",
		},
		{
			name: "XDG_CACHE_HOME/huggingface/token",
			env: func(t *testing.T, home string) {
				xdg := t.TempDir()
				writeTokenFile(t, filepath.Join(xdg, "huggingface", "token"), "hf_from_xdg\n")
				t.Setenv("XDG_CACHE_HOME", xdg)
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), "hf_from_home")
			},
			want: "Bearer hf_from_xdg",
		},
		{
			name: "~/.cache/huggingface/token written by hf auth login",
			env: func(t *testing.T, home string) {
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), "hf_from_home\n")
			},
			want: "Bearer hf_from_home",
		},
		{
			name: "blank token file means none",
			env: func(t *testing.T, home string) {
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), " \n\t\n")
			},
			want: "",
		},
		{
			name: "explicit token before HF_TOKEN",
			env:  func(t *testing.T, home string) { t.Setenv("HF_TOKEN", "hf_env") },
			opts: []Option{WithToken("hf_explicit")},
			want: "Bearer hf_explicit",
		},
		{
			name: "explicit token trimmed",
			env:  func(t *testing.T, home string) {},
			opts: []Option{WithToken(" hf_explicit\n")},
			want: "Bearer hf_explicit",
		},
		{
			name: "WithNoToken ignores HF_TOKEN and the token file",
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_env")
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), "hf_file")
			},
			opts: []Option{WithNoToken()},
			want: "",
		},
		{
			name: "implicit token disabled still allows an explicit one",
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_env")
				t.Setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
			},
			opts: []Option{WithToken("hf_explicit")},
			want: "Bearer hf_explicit",
		},
	}
	for _, v := range []string{"1", "ON", "YES", "TRUE", "true", "yes", "on"} {
		tests = append(tests, struct {
			name string
			env  func(t *testing.T, home string)
			opts []Option
			want string
		}{
			name: "HF_HUB_DISABLE_IMPLICIT_TOKEN=" + v,
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_env")
				writeTokenFile(t, filepath.Join(home, ".cache", "huggingface", "token"), "hf_file")
				t.Setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", v)
			},
			want: "",
		})
	}
	for _, v := range []string{"0", "false", "no", ""} {
		tests = append(tests, struct {
			name string
			env  func(t *testing.T, home string)
			opts []Option
			want string
		}{
			name: fmt.Sprintf("HF_HUB_DISABLE_IMPLICIT_TOKEN=%q keeps the token", v),
			env: func(t *testing.T, home string) {
				t.Setenv("HF_TOKEN", "hf_env")
				t.Setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", v)
			},
			want: "Bearer hf_env",
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := clearHubEnv(t)
			tt.env(t, home)
			if got := sentAuthorization(t, tt.opts...); got != tt.want {
				t.Errorf("Authorization = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewClient_EndpointFromEnvironment(t *testing.T) {
	clearHubEnv(t)
	var gotPath, gotAuth string
	var calls atomic.Int64
	// A bare handler, not a ServeMux: the mux would redirect "//api/..."
	// to "/api/..." and hide a doubled slash.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		gotPath = r.URL.EscapedPath()
		gotAuth = r.Header.Get("Authorization")
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice"}`)
	}))
	defer srv.Close()
	t.Setenv("HF_ENDPOINT", srv.URL+"/")
	t.Setenv("HF_TOKEN", "hf_env")
	client, err := NewClient()
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := client.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if calls.Load() != 1 || gotPath != "/api/whoami-v2" {
		t.Errorf("server saw %d requests, path %q; want 1 request to /api/whoami-v2", calls.Load(), gotPath)
	}
	if gotAuth != "Bearer hf_env" {
		t.Errorf("Authorization = %q, want the HF_TOKEN", gotAuth)
	}
}

func TestNewClient_WithEndpointTrailingSlash(t *testing.T) {
	t.Parallel()
	var gotPath string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice"}`)
	}))
	defer srv.Close()
	client, err := NewClient(WithEndpoint(srv.URL+"/"), WithToken(testToken))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := client.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if gotPath != "/api/whoami-v2" {
		t.Errorf("path = %q, want /api/whoami-v2", gotPath)
	}
}

func TestNewClient_DefaultEndpoint(t *testing.T) {
	clearHubEnv(t)
	var got string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.String()
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice"}`)
	})
	client, err := NewClient(WithHTTPClient(&http.Client{Transport: handlerTransport{h}}))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := client.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if want := "https://huggingface.co/api/whoami-v2"; got != want {
		t.Errorf("request URL = %q, want %q", got, want)
	}
}

// TestNewClient_ExplicitEndpointBeforeEnvironment: WithEndpoint wins over
// HF_ENDPOINT.
func TestNewClient_ExplicitEndpointBeforeEnvironment(t *testing.T) {
	clearHubEnv(t)
	t.Setenv("HF_ENDPOINT", "https://env.example")
	var got string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Host
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice"}`)
	})
	client, err := NewClient(WithEndpoint("https://explicit.example"),
		WithHTTPClient(&http.Client{Transport: handlerTransport{h}}))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := client.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if got != "explicit.example" {
		t.Errorf("request went to %q, want explicit.example", got)
	}
}

// errorsIsAny is a small helper for tables that accept more than one sentinel.
func errorsIsAny(err error, targets ...error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// TestClient_NilContext: a nil context is a caller's mistake that must come
// back as an error from every operation, not a panic, and send nothing.
func TestClient_NilContext(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	var nilCtx context.Context
	ops := repoIDOps()
	ops["WhoAmI"] = func(ctx context.Context, c *Client, _ string) error {
		_, err := c.WhoAmI(ctx)
		return err
	}
	ops["ListHardware"] = func(ctx context.Context, c *Client, _ string) error {
		_, err := c.Spaces.ListHardware(ctx)
		return err
	}
	ops["List"] = func(ctx context.Context, c *Client, _ string) error {
		for _, err := range c.Spaces.List(ctx, nil) {
			return err
		}
		return nil
	}
	ops["Duplicate to own namespace"] = func(ctx context.Context, c *Client, id string) error {
		_, err := c.Spaces.Duplicate(ctx, id, nil)
		return err
	}
	ops["Wait"] = func(ctx context.Context, c *Client, id string) error {
		_, err := c.Spaces.Wait(ctx, id, nil)
		return err
	}
	for _, follow := range []bool{false, true} {
		ops[fmt.Sprintf("Logs (follow %v)", follow)] = func(ctx context.Context, c *Client, id string) error {
			for _, err := range c.Spaces.Logs(ctx, id, &LogOptions{Follow: follow}) {
				if err != nil {
					return err
				}
			}
			return nil
		}
	}
	for name, op := range ops {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s with a nil context panicked: %v", name, p)
				}
			}()
			if err := op(nilCtx, client, "user/space"); err == nil {
				t.Errorf("%s with a nil context succeeded, want an error", name)
			}
		}()
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
