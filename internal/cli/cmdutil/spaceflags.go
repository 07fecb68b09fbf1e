package cmdutil

import (
	"context"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// SpaceConfigFlags are the flags that configure a Space as it is created
// or deployed: hardware, sleep time, secrets and variables.
type SpaceConfigFlags struct {
	Hardware    hfhub.Hardware
	SleepTime   *int // nil: unchanged or the Hub's default; -1: never
	SecretPairs []string
	SecretFiles []string
	EnvPairs    []string
	EnvFiles    []string

	hardware, sleep string
}

// Bind defines --hardware, --sleep-time, -s, --secrets-file, -e and
// --env-file on cmd.
func (c *SpaceConfigFlags) Bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&c.hardware, "hardware", "", "hardware flavor, e.g. t4-small")
	fl.StringVar(&c.sleep, "sleep-time", "", "idle time before sleeping: seconds, a duration (1h) or never")
	fl.StringArrayVarP(&c.SecretPairs, "secret", "s", nil, "secret as KEY=VALUE, or KEY to read $KEY or prompt (repeatable)")
	fl.StringArrayVar(&c.SecretFiles, "secrets-file", nil, "read secrets from a .env file (repeatable)")
	fl.StringArrayVarP(&c.EnvPairs, "env", "e", nil, "variable as KEY=VALUE, or KEY to read $KEY (repeatable)")
	fl.StringArrayVar(&c.EnvFiles, "env-file", nil, "read variables from a .env file (repeatable)")
	cmd.RegisterFlagCompletionFunc("hardware", CompleteHardware)
	cmd.RegisterFlagCompletionFunc("sleep-time", CompleteSleepTime)
}

// Parse checks the values of the flags once cobra has set them.
func (c *SpaceConfigFlags) Parse(fl *pflag.FlagSet) error {
	if fl.Changed("hardware") && strings.TrimSpace(c.hardware) == "" {
		return FlagErrorf("--hardware: empty flavor (see `hfspaces hardware`)")
	}
	c.Hardware = hfhub.Hardware(strings.TrimSpace(c.hardware))
	c.SleepTime = nil
	if fl.Changed("sleep-time") {
		s, err := ParseSleepTime(c.sleep)
		if err != nil {
			return err
		}
		c.SleepTime = &s
	}
	return nil
}

// Collect reads the secrets (from -s and --secrets-file, asking for a
// value on a terminal when -s KEY names no variable of the environment)
// and the variables (-e, --env-file).
func (c *SpaceConfigFlags) Collect(ctx context.Context, ios *iostreams.IOStreams, p Prompter, lookupEnv func(string) (string, bool)) (secrets, variables []hfhub.EnvVar, err error) {
	secretSpec := EnvSpec{Kind: "secret", Flag: "-s", Pairs: c.SecretPairs, Files: c.SecretFiles, LookupEnv: lookupEnv, Stdin: ios.In}
	if ios.IsStdinTTY() && p != nil {
		secretSpec.Ask = func(key string) (string, error) {
			return p.Password(ctx, fmt.Sprintf("Value of secret %s (hidden):", key))
		}
	}
	if secrets, err = secretSpec.Collect(); err != nil {
		return nil, nil, err
	}
	variables, err = EnvSpec{Kind: "variable", Flag: "-e", Pairs: c.EnvPairs, Files: c.EnvFiles, LookupEnv: lookupEnv, Stdin: ios.In}.Collect()
	if err != nil {
		return nil, nil, err
	}
	return secrets, variables, nil
}

// EnvMap turns collected pairs into the map CreateOptions takes; nil for
// none.
func EnvMap(vars []hfhub.EnvVar) map[string]string {
	if len(vars) == 0 {
		return nil
	}
	m := make(map[string]string, len(vars))
	for _, v := range vars {
		m[v.Key] = v.Value
	}
	return m
}

// VisibilityFlags are --public, --private and --protected.
type VisibilityFlags struct {
	public, private, protected bool
}

// Bind defines the three flags on cmd; noun names what they apply to
// ("the Space").
func (v *VisibilityFlags) Bind(cmd *cobra.Command, noun string) {
	cmd.Flags().BoolVar(&v.public, "public", false, "make "+noun+" public (the default)")
	cmd.Flags().BoolVar(&v.private, "private", false, "make "+noun+" private")
	cmd.Flags().BoolVar(&v.protected, "protected", false, "make "+noun+" protected (public app, private files)")
}

// Visibility is the one visibility chosen, "" for none; two at once are
// a usage error.
func (v *VisibilityFlags) Visibility() (hfhub.Visibility, error) {
	var got []hfhub.Visibility
	if v.public {
		got = append(got, hfhub.VisibilityPublic)
	}
	if v.private {
		got = append(got, hfhub.VisibilityPrivate)
	}
	if v.protected {
		got = append(got, hfhub.VisibilityProtected)
	}
	switch len(got) {
	case 0:
		return "", nil
	case 1:
		return got[0], nil
	}
	return "", FlagErrorf("choose one of --public, --private and --protected")
}

// SDKNames are the SDKs a Space can have, for completion and messages.
var SDKNames = []string{string(hfhub.SDKGradio), string(hfhub.SDKDocker), string(hfhub.SDKStatic), string(hfhub.SDKStreamlit)}

// CompleteSDK completes an --sdk flag.
func CompleteSDK(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return withPrefix(SDKNames, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// ParseSDK reads an --sdk flag: the library judges the name, the error is
// a usage error.
func ParseSDK(s string) (hfhub.SDK, error) {
	sdk := hfhub.SDK(strings.ToLower(strings.TrimSpace(s)))
	if err := sdk.Validate(); err != nil {
		return "", FlagErrorf("--sdk %q: want one of %s", s, strings.Join(SDKNames, ", "))
	}
	return sdk, nil
}

// ParseVisibility reads a --visibility flag.
func ParseVisibility(s string) (hfhub.Visibility, error) {
	v := hfhub.Visibility(strings.ToLower(strings.TrimSpace(s)))
	if err := v.Validate(); err != nil {
		return "", FlagErrorf("--visibility %q: want public, private or protected", s)
	}
	return v, nil
}

// Plural writes "1 file", "2 files".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ConfirmByTyping lets an irreversible action go ahead, as `gh repo
// delete` does: at once with --yes; on a terminal once the person has typed
// want (the Space id); never off a terminal without --yes. what completes
// "refusing to …", e.g. "delete the Space demo/app".
func ConfirmByTyping(ctx context.Context, ios *iostreams.IOStreams, p Prompter, yes bool, what, want string) error {
	if yes {
		return nil
	}
	if !ios.CanPrompt() {
		return FlagErrorf("refusing to %s without confirmation: pass --yes (standard input is not a terminal)", what)
	}
	ip, ok := p.(InputPrompter)
	if !ok {
		return ConfirmDestructive(ctx, ios, p, false, what)
	}
	got, err := ip.Input(ctx, fmt.Sprintf("This will %s, and cannot be undone. Type %s to confirm:", what, want))
	if err != nil {
		return err
	}
	if got != want {
		Warn(ios, "%q is not %s: nothing was done.", got, want)
		return ErrCancel
	}
	return nil
}

// SizeText writes a byte count as the Hub's pages do: 812 B, 4.2 kB,
// 12.3 MB, 1.5 GB (powers of 1000).
func SizeText(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		f /= 1000
		if f < 999.95 || unit == "TB" {
			return fmt.Sprintf("%.1f %s", f, unit)
		}
	}
	return ""
}

// QualifySpaceID puts a Space name without a namespace ("my-app") in the
// namespace of the token's account ("me/my-app"), as the official CLI
// does; an id with a namespace is returned as it is.
func QualifySpaceID(ctx context.Context, client *hfhub.Client, id string) (string, error) {
	if strings.Contains(id, "/") {
		return id, nil
	}
	me, err := client.WhoAmI(ctx)
	if err != nil {
		return "", fmt.Errorf("finding your namespace for %s: %w", id, err)
	}
	return me.Name + "/" + id, nil
}
