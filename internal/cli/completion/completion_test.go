package completion

import (
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
)

func TestNewCmdCompletionParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdCompletion, []clitest.ParseCase[CompletionOptions]{
		{Name: "bash", Args: []string{"completion", "bash"}, Want: CompletionOptions{Shell: "bash"}},
		{Name: "powershell", Args: []string{"completion", "powershell"}, Want: CompletionOptions{Shell: "powershell"}},
		{Name: "unknown shell", Args: []string{"completion", "tcsh"}, WantCode: 1, WantErr: `unsupported shell "tcsh"`},
		{Name: "no shell", Args: []string{"completion"}, WantCode: 1, WantErr: "missing the shell"},
	})
}

func TestCompletionRun(t *testing.T) {
	t.Parallel()
	for shell, marker := range map[string]string{
		"bash":       "# bash completion V2 for hfspaces",
		"zsh":        "#compdef hfspaces",
		"fish":       "# fish completion for hfspaces",
		"powershell": "# powershell completion for hfspaces",
	} {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			e := clitest.NewOffline(t, nil)
			r := e.Run(NewCmdCompletion(e.Factory, nil), "completion", shell)
			if r.Code != 0 || !strings.Contains(r.Out, marker) {
				t.Errorf("exit %d, output starts %.80q; want %q", r.Code, r.Out, marker)
			}
		})
	}
}
