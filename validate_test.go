package hfhub

import (
	"context"
	"errors"
	"strings"
	"testing"
)

var validRepoIDs = []string{
	"user/space",
	"User_1/my-space.v2",
	"a/b",
	"_/_",
	"org-name/Space_Name.1",
	"user/" + strings.Repeat("x", 96),
}

var invalidRepoIDs = []string{
	"",
	"user/",
	"/space",
	"/",
	"user/space/extra",
	"user//space",
	"user/-space",
	"user/space-",
	"user/.space",
	"user/space.",
	"-user/space",
	"user./space",
	"user/sp--ace",
	"user/sp..ace",
	"user/space.git",
	"../etc",
	"user/..",
	"user/sp ace",
	"us er/space",
	"user/späce",
	"user/sp?ace",
	"user/sp#ace",
	"user/sp%2Face",
	"user/sp\\ace",
	"user/sp\nace",
	"user/" + strings.Repeat("x", 97),
}

func TestValidateRepoID(t *testing.T) {
	t.Parallel()
	for _, id := range validRepoIDs {
		if err := ValidateRepoID(id); err != nil {
			t.Errorf("ValidateRepoID(%q) = %v, want nil", id, err)
		}
	}
	for _, id := range invalidRepoIDs {
		if err := ValidateRepoID(id); !errors.Is(err, ErrInvalidRepoID) {
			t.Errorf("ValidateRepoID(%q) = %v, want ErrInvalidRepoID", id, err)
		}
	}
}

// repoIDOps calls every operation that takes a Space id with the given id.
func repoIDOps() map[string]func(ctx context.Context, c *Client, id string) error {
	return map[string]func(ctx context.Context, c *Client, id string) error{
		"GetRuntime": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.GetRuntime(ctx, id)
			return err
		},
		"GetInfo": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.GetInfo(ctx, id)
			return err
		},
		"GetVariables": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.GetVariables(ctx, id)
			return err
		},
		"AddVariable": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.AddVariable(ctx, id, "K", "v", nil)
			return err
		},
		"DeleteVariable": func(ctx context.Context, c *Client, id string) error {
			return c.Spaces.DeleteVariable(ctx, id, "K")
		},
		"GetSecrets": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.GetSecrets(ctx, id)
			return err
		},
		"AddSecret": func(ctx context.Context, c *Client, id string) error {
			return c.Spaces.AddSecret(ctx, id, "K", "v", nil)
		},
		"DeleteSecret": func(ctx context.Context, c *Client, id string) error {
			return c.Spaces.DeleteSecret(ctx, id, "K")
		},
		"RequestHardware": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.RequestHardware(ctx, id, HardwareT4Small, nil)
			return err
		},
		"SetSleepTime": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.SetSleepTime(ctx, id, 300)
			return err
		},
		"RequestStorage": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.RequestStorage(ctx, id, StorageSmall)
			return err
		},
		"DeleteStorage": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.DeleteStorage(ctx, id)
			return err
		},
		"SetVolumes": func(ctx context.Context, c *Client, id string) error {
			return c.Spaces.SetVolumes(ctx, id, []Volume{{Type: "dataset", Source: "u/d", MountPath: "/d"}})
		},
		"DeleteVolumes": func(ctx context.Context, c *Client, id string) error {
			return c.Spaces.DeleteVolumes(ctx, id)
		},
		"Pause": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.Pause(ctx, id)
			return err
		},
		"Restart": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.Restart(ctx, id, &RestartOptions{FactoryReboot: true})
			return err
		},
		"EnableDevMode": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.EnableDevMode(ctx, id)
			return err
		},
		"DisableDevMode": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.DisableDevMode(ctx, id)
			return err
		},
		"Duplicate": func(ctx context.Context, c *Client, id string) error {
			_, err := c.Spaces.Duplicate(ctx, id, &DuplicateOptions{ToID: "user/copy"})
			return err
		},
	}
}

// TestSpacesService_RejectsInvalidRepoID: every operation checks the id
// before anything is sent. A Space id needs its namespace.
func TestSpacesService_RejectsInvalidRepoID(t *testing.T) {
	t.Parallel()
	ids := append([]string{"space-without-namespace"}, invalidRepoIDs...)
	for name, op := range repoIDOps() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, requests := noRequests(t)
			for _, id := range ids {
				if err := op(t.Context(), client, id); !errors.Is(err, ErrInvalidRepoID) {
					t.Errorf("%s(%q) = %v, want ErrInvalidRepoID", name, id, err)
				}
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestSpacesService_RejectsInvalidKey(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	ctx := t.Context()
	for _, key := range []string{"", "WITH SPACE", "A=B", "NEW\nLINE", "MY-KEY", "1KEY", "AÑO"} {
		if _, err := client.Spaces.AddVariable(ctx, "user/space", key, "v", nil); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("AddVariable(key %q) = %v, want ErrInvalidKey", key, err)
		}
		if err := client.Spaces.DeleteVariable(ctx, "user/space", key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("DeleteVariable(key %q) = %v, want ErrInvalidKey", key, err)
		}
		if err := client.Spaces.AddSecret(ctx, "user/space", key, "v", nil); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("AddSecret(key %q) = %v, want ErrInvalidKey", key, err)
		}
		if err := client.Spaces.DeleteSecret(ctx, "user/space", key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("DeleteSecret(key %q) = %v, want ErrInvalidKey", key, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSpacesService_RejectsInvalidHardware(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	for _, hw := range []Hardware{"", "CPU-BASIC", "Cpu-basic", "t4 small", " t4-small", "t4-small ", "t4_small", "t4.small", "t4-small\t", "a100/large", "ä100"} {
		if _, err := client.Spaces.RequestHardware(t.Context(), "user/space", hw, nil); !errors.Is(err, ErrInvalidHardware) {
			t.Errorf("RequestHardware(%q) = %v, want ErrInvalidHardware", hw, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSpacesService_RejectsInvalidStorage(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	for _, tier := range []Storage{"", "huge", "Small", "LARGE", "small ", "xl"} {
		if _, err := client.Spaces.RequestStorage(t.Context(), "user/space", tier); !errors.Is(err, ErrInvalidStorage) {
			t.Errorf("RequestStorage(%q) = %v, want ErrInvalidStorage", tier, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSpacesService_RejectsInvalidSleepTime(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	for _, seconds := range []int{0, -2, -3600, -1 << 40, MaxSleepTime + 1, 1 << 40} {
		if _, err := client.Spaces.SetSleepTime(t.Context(), "user/space", seconds); !errors.Is(err, ErrInvalidSleepTime) {
			t.Errorf("SetSleepTime(%d) = %v, want ErrInvalidSleepTime", seconds, err)
		}
		_, err := client.Spaces.RequestHardware(t.Context(), "user/space", HardwareT4Small, &HardwareOptions{SleepTime: ptr(seconds)})
		if !errors.Is(err, ErrInvalidSleepTime) {
			t.Errorf("RequestHardware(sleep %d) = %v, want ErrInvalidSleepTime", seconds, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSpacesService_RejectsInvalidVolumes(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	for name, volumes := range map[string][]Volume{
		"no source":            {{Type: "dataset", MountPath: "/data"}},
		"blank source":         {{Type: "dataset", Source: "  ", MountPath: "/data"}},
		"relative mount path":  {{Type: "dataset", Source: "user/data", MountPath: "data"}},
		"empty mount path":     {{Type: "model", Source: "user/model"}},
		"second volume is bad": {{Type: "dataset", Source: "user/data", MountPath: "/data"}, {Type: "model", Source: "", MountPath: "/m"}},
	} {
		if err := client.Spaces.SetVolumes(t.Context(), "user/space", volumes); !errors.Is(err, ErrInvalidVolume) {
			t.Errorf("SetVolumes(%s) = %v, want ErrInvalidVolume", name, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// FuzzValidateRepoID: the validator never panics, and an id it accepts
// satisfies every rule of WIRE.md.
func FuzzValidateRepoID(f *testing.F) {
	for _, id := range append(append([]string{}, validRepoIDs...), invalidRepoIDs...) {
		f.Add(id)
	}
	f.Add("a.git/b")
	f.Add("user/b.gitx")
	f.Add("user/x\x00")
	f.Fuzz(func(t *testing.T, id string) {
		err := ValidateRepoID(id)
		if err != nil {
			if !errors.Is(err, ErrInvalidRepoID) {
				t.Errorf("ValidateRepoID(%q) = %v, not ErrInvalidRepoID", id, err)
			}
			return
		}
		parts := strings.Split(id, "/")
		if len(parts) > 2 {
			t.Fatalf("accepted %q with more than one '/'", id)
		}
		name := parts[len(parts)-1]
		if len(name) < 1 || len(name) > 96 {
			t.Errorf("accepted %q: name of %d characters", id, len(name))
		}
		for _, p := range parts {
			if p == "" {
				t.Errorf("accepted %q with an empty part", id)
				continue
			}
			for _, c := range []byte(p) {
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
					t.Errorf("accepted %q holding %q", id, c)
				}
			}
			for _, edge := range []byte{p[0], p[len(p)-1]} {
				if edge == '-' || edge == '.' {
					t.Errorf("accepted %q: part %q starts or ends with %q", id, p, edge)
				}
			}
		}
		if strings.Contains(id, "--") || strings.Contains(id, "..") || strings.HasSuffix(id, ".git") {
			t.Errorf("accepted %q holding \"--\", \"..\" or ending in .git", id)
		}
		// An accepted Space id is one clean path segment per part.
		if len(parts) == 2 && spacePath(id) != "/api/spaces/"+id {
			t.Errorf("accepted %q but its path is %q", id, spacePath(id))
		}
	})
}

// A long refused key may be a secret value given in its place: its text is
// never in the error, only its length.
func TestValidateEnvKey_LongKeyNotQuoted(t *testing.T) {
	value := "sk-proj-" + strings.Repeat("Abc123", 10)
	err := ValidateEnvKey(value)
	if !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("ValidateEnvKey = %v, want ErrInvalidKey", err)
	}
	if strings.Contains(err.Error(), "Abc123") || strings.Contains(err.Error(), "sk-proj") {
		t.Errorf("the error shows the value: %v", err)
	}
	if err := ValidateEnvKey(strings.Repeat("A", MaxEnvKeyLen+1)); err == nil || strings.Contains(err.Error(), "AAAA") {
		t.Errorf("an over-long key: %v", err)
	}
}
