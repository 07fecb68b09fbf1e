package list

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdListParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdList, []clitest.ParseCase[ListOptions]{
		{Name: "defaults", Args: []string{"list"}, Want: ListOptions{Limit: 30}},
		{Name: "alias ls", Args: []string{"ls"}, Want: ListOptions{Limit: 30}},
		{Name: "filters", Args: []string{"list", "--author", "demo", "--search", "gradio", "--limit", "5", "--json"},
			Want: ListOptions{Author: "demo", Search: "gradio", Limit: 5, JSON: true}},
		{Name: "no limit", Args: []string{"list", "--limit", "0"}, Want: ListOptions{}},
		{Name: "negative limit", Args: []string{"list", "--limit", "-1"}, WantCode: 1, WantErr: "--limit"},
		{Name: "bad limit", Args: []string{"list", "--limit", "many"}, WantCode: 1, WantErr: "invalid argument"},
		{Name: "argument", Args: []string{"list", "demo"}, WantCode: 1, WantErr: "unexpected argument"},
	})
}

func TestListRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdList(f, nil) }
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", TTY: true, Args: []string{"list", "--author", "demo"}, WantOut: "" +
			"ID                 VISIBILITY  SDK     STAGE        HARDWARE   LIKES\n" +
			"demo/broken-build  public      gradio  BUILD_ERROR  cpu-basic  0\n" +
			"demo/gpu-app       private     gradio  RUNNING      t4-small   0\n" +
			"demo/gradio-app    public      gradio  RUNNING      cpu-basic  3\n" +
			"demo/static-site   public      static  RUNNING      -          0\n"},
		{Name: "piped", Args: []string{"list", "--search", "gradio"}, WantOut: "demo/gradio-app\tpublic\tgradio\tRUNNING\tcpu-basic\t3\n"},
		{Name: "limit", Args: []string{"list", "--limit", "2"}, WantOut: "" +
			"demo-org/team-space\tpublic\tstreamlit\tRUNNING\tcpu-basic\t0\n" +
			"demo/broken-build\tpublic\tgradio\tBUILD_ERROR\tcpu-basic\t0\n"},
		{Name: "limit on a terminal says there are more", TTY: true, Args: []string{"list", "--limit", "2"}, WantOut: "" +
			"ID                   VISIBILITY  SDK        STAGE        HARDWARE   LIKES\n" +
			"demo-org/team-space  public      streamlit  RUNNING      cpu-basic  0\n" +
			"demo/broken-build    public      gradio     BUILD_ERROR  cpu-basic  0\n",
			WantErrOut: "Showing the first 2 Spaces; there are more. See them all with --limit 0, or narrow with --author or --search.\n"},
		{Name: "limit on a terminal, no more", TTY: true, Args: []string{"list", "--author", "demo", "--limit", "4"}, AnyOut: true, WantErrOut: ""},
		{Name: "limit in JSON says nothing", Args: []string{"list", "--limit", "1", "--json"}, AnyOut: true, WantErrOut: "",
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				var got []map[string]any
				clitest.DecodeJSON(t, r.Out, &got)
				if len(got) != 1 {
					t.Errorf("%d Spaces, want 1", len(got))
				}
			}},
		{Name: "json", Args: []string{"list", "--author", "demo-org", "--json"}, WantOut: `[
  {
    "id": "demo-org/team-space",
    "private": false,
    "sdk": "streamlit",
    "stage": "RUNNING",
    "hardware": "cpu-basic",
    "likes": 0
  }
]
`},
		{Name: "json, nothing", Args: []string{"list", "--author", "nobody", "--json"}, WantOut: "[]\n"},
		{Name: "nothing, terminal", TTY: true, Args: []string{"list", "--author", "nobody"}, WantErrOut: "! No Spaces found.\n"},
		{Name: "someone else's private spaces are not listed", Args: []string{"list", "--author", "other"}, WantOut: ""},
	})
}

// TestListOneRequest: the stage and hardware come with the listing itself
// (expand), not from one runtime request per Space.
func TestListOneRequest(t *testing.T) {
	t.Parallel()
	var paths []string
	var mu sync.Mutex
	e := clitest.New(t, clitest.Options{Transport: func(_ *clitest.Env, base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			mu.Unlock()
			return base.RoundTrip(r)
		})
	}})
	res := e.Run(NewCmdList(e.Factory, nil), "list", "--author", "demo")
	if res.Code != 0 {
		t.Fatalf("list exited %d: %s", res.Code, e.Err.String())
	}
	if !strings.Contains(e.Out.String(), "demo/gpu-app\tprivate\tgradio\tRUNNING\tt4-small") {
		t.Errorf("list output lacks the runtime columns:\n%s", e.Out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"/api/spaces"}, paths); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
