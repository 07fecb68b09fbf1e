package hfhub

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The library's types as JSON: the Hub's wire shape (camelCase names),
// written from the fields, so an edit shows; and json.Unmarshal of that
// gives the value back (Raw aside, which holds what was decoded).

var ignoreRaws = cmpopts.IgnoreFields(SpaceRuntime{}, "Raw")

func TestTypesJSON_RoundTrip(t *testing.T) {
	t.Parallel()
	when := time.Date(2025, 3, 7, 12, 24, 19, 337000000, time.UTC)
	runtime := SpaceRuntime{Stage: StageRunning, Hardware: HardwareT4Small, RequestedHardware: HardwareA10GSmall,
		SleepTime: ptr(3600), Storage: StorageSmall, DevMode: true, SDK: "gradio", SDKVersion: "5.0.1", RawLogs: true,
		HotReloading: &HotReloading{Status: "created"}, ErrorMessage: "boom",
		Volumes: []Volume{{Type: "dataset", Source: "u/d", MountPath: "/d", ReadOnly: ptr(true)}},
		Domains: []Domain{{Domain: "u-s.hf.space", Stage: "READY"}}, Replicas: &Replicas{Requested: "2", Current: 1}}
	tests := []struct {
		name string
		v    any
		want string     // the wire JSON
		into func() any // a pointer to decode the JSON into
	}{
		{"SpaceRuntime", runtime,
			`{"stage":"RUNNING","hardware":{"current":"t4-small","requested":"a10g-small"},"storage":"small","gcTimeout":3600,
			"replicas":{"requested":2,"current":1},"devMode":true,"sdk":"gradio","sdkVersion":"5.0.1","rawLogs":true,
			"hotReloading":{"status":"created"},"errorMessage":"boom",
			"volumes":[{"type":"dataset","source":"u/d","mountPath":"/d","readOnly":true}],
			"domains":[{"domain":"u-s.hf.space","stage":"READY"}]}`,
			func() any { return new(SpaceRuntime) }},
		{"SpaceRuntime static", SpaceRuntime{Stage: StageRunning, Replicas: &Replicas{Requested: "auto"}},
			`{"stage":"RUNNING","hardware":{"current":null,"requested":null},"storage":null,"replicas":{"requested":"auto","current":0},"devMode":false}`,
			func() any { return new(SpaceRuntime) }},
		{"SpaceInfo", SpaceInfo{ID: "u/s", Author: "u", SHA: "abc", SDK: "gradio", Private: true, Likes: 3,
			LastModified: when, CreatedAt: when, Subdomain: "u-s", Host: "https://u-s.hf.space", Tags: []string{"gradio"},
			Runtime: &SpaceRuntime{Stage: StagePaused}},
			`{"id":"u/s","author":"u","sha":"abc","sdk":"gradio","private":true,"disabled":false,"likes":3,
			"lastModified":"2025-03-07T12:24:19.337Z","createdAt":"2025-03-07T12:24:19.337Z","subdomain":"u-s",
			"host":"https://u-s.hf.space","tags":["gradio"],
			"runtime":{"stage":"PAUSED","hardware":{"current":null,"requested":null},"storage":null,"devMode":false}}`,
			func() any { return new(SpaceInfo) }},
		{"User", User{Type: "user", Name: "alice", FullName: "Alice", Orgs: []Org{{Name: "acme"}}, TokenName: "laptop", TokenRole: "write"},
			`{"type":"user","name":"alice","fullname":"Alice","orgs":[{"name":"acme"}],"auth":{"accessToken":{"displayName":"laptop","role":"write"}}}`,
			func() any { return new(User) }},
		{"SpaceVariable", SpaceVariable{Key: "K", Value: "v", Description: "d", UpdatedAt: when},
			`{"key":"K","value":"v","description":"d","updatedAt":"2025-03-07T12:24:19.337Z"}`,
			func() any { return new(SpaceVariable) }},
		{"SpaceSecret", SpaceSecret{Key: "K", UpdatedAt: when},
			`{"key":"K","updatedAt":"2025-03-07T12:24:19.337Z"}`,
			func() any { return new(SpaceSecret) }},
		{"RepoURL", RepoURL{URL: "https://huggingface.co/spaces/u/s", Endpoint: "https://huggingface.co", RepoType: "space", RepoID: "u/s"},
			`{"url":"https://huggingface.co/spaces/u/s","endpoint":"https://huggingface.co","repoType":"space","repoId":"u/s"}`,
			func() any { return new(RepoURL) }},
		{"Replicas", Replicas{Requested: "1", Current: 1}, `{"requested":1,"current":1}`, func() any { return new(Replicas) }},
		{"HotReloading", HotReloading{Status: "canceled"}, `{"status":"canceled"}`, func() any { return new(HotReloading) }},
		{"Domain", Domain{Domain: "x.hf.space", Stage: "PENDING"}, `{"domain":"x.hf.space","stage":"PENDING"}`, func() any { return new(Domain) }},
		{"Volume", Volume{Type: "bucket", Source: "u/b", MountPath: "/b", Revision: "main", Path: "sub"},
			`{"type":"bucket","source":"u/b","mountPath":"/b","revision":"main","path":"sub"}`, func() any { return new(Volume) }},
		{"EnvVar", EnvVar{Key: "K", Value: "v"}, `{"key":"K","value":"v"}`, func() any { return new(EnvVar) }},
		{"HardwareInfo", HardwareInfo{Name: HardwareT4Small, PrettyName: "Nvidia T4 - small", CPU: "4 vCPU", RAM: "15 GB",
			Accelerator:      &Accelerator{Type: "gpu", Model: "T4", Quantity: 1, VRAM: "16 GB", Manufacturer: "Nvidia"},
			UnitCostMicroUSD: 10000, UnitCostUSD: 0.01, UnitLabel: "minute"},
			`{"name":"t4-small","prettyName":"Nvidia T4 - small","cpu":"4 vCPU","ram":"15 GB",
			"accelerator":{"type":"gpu","model":"T4","quantity":1,"vram":"16 GB","manufacturer":"Nvidia"},
			"unitCostMicroUSD":10000,"unitCostUSD":0.01,"unitLabel":"minute"}`,
			func() any { return new(HardwareInfo) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if !jsonEqual(t, out, tt.want) {
				t.Errorf("Marshal = %s\nwant      %s", out, tt.want)
			}
			back := tt.into()
			if err := json.Unmarshal(out, back); err != nil {
				t.Fatalf("Unmarshal(%s): %v", out, err)
			}
			opts := cmp.Options{ignoreRaws, cmpopts.IgnoreFields(SpaceInfo{}, "Raw"), cmpopts.IgnoreFields(User{}, "Raw"),
				cmpopts.IgnoreFields(HotReloading{}, "Raw")}
			if diff := cmp.Diff(tt.v, reflectElem(back), opts); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func reflectElem(p any) any {
	switch p := p.(type) {
	case *SpaceRuntime:
		return *p
	case *SpaceInfo:
		return *p
	case *User:
		return *p
	case *SpaceVariable:
		return *p
	case *SpaceSecret:
		return *p
	case *RepoURL:
		return *p
	case *Replicas:
		return *p
	case *HotReloading:
		return *p
	case *Domain:
		return *p
	case *Volume:
		return *p
	case *EnvVar:
		return *p
	case *HardwareInfo:
		return *p
	}
	panic("unknown type")
}

// TestTypesJSON_EditsShow: a decoded runtime (and the space info and user
// holding one) that is edited marshals with the edit, not what the Hub sent.
func TestTypesJSON_EditsShow(t *testing.T) {
	t.Parallel()
	var rt SpaceRuntime
	if err := json.Unmarshal([]byte(recordedBuildingRuntime(t)), &rt); err != nil {
		t.Fatal(err)
	}
	rt.Stage = StageRunning
	rt.Hardware = HardwareCPUBasic
	rt.SleepTime = nil
	out, err := json.Marshal(rt)
	if err != nil {
		t.Fatal(err)
	}
	var back SpaceRuntime
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Stage != StageRunning || back.Hardware != HardwareCPUBasic || back.SleepTime != nil {
		t.Errorf("edited runtime marshals as %s", out)
	}
	if diff := cmp.Diff(rt, back, ignoreRaws); diff != "" {
		t.Errorf("edited runtime round trip (-want +got):\n%s", diff)
	}

	var info SpaceInfo
	if err := json.Unmarshal([]byte(`{"id":"u/s","likes":1,"runtime":{"stage":"BUILDING"}}`), &info); err != nil {
		t.Fatal(err)
	}
	info.Likes = 2
	info.Runtime.Stage = StageRunning
	out, _ = json.Marshal(&info)
	var backInfo SpaceInfo
	if err := json.Unmarshal(out, &backInfo); err != nil {
		t.Fatal(err)
	}
	if backInfo.Likes != 2 || backInfo.Runtime == nil || backInfo.Runtime.Stage != StageRunning {
		t.Errorf("edited space info marshals as %s", out)
	}

	var u User
	if err := json.Unmarshal([]byte(`{"type":"user","name":"alice"}`), &u); err != nil {
		t.Fatal(err)
	}
	u.Name = "bob"
	out, _ = json.Marshal(u)
	if !jsonEqual(t, out, `{"type":"user","name":"bob","fullname":"","orgs":[],"auth":{"accessToken":{"displayName":"","role":""}}}`) {
		t.Errorf("edited user marshals as %s", out)
	}
}

// TestDecodeSpaces: a listing page decodes in one pass to what decoding
// each entry alone gives, each Raw being exactly the entry's bytes (and the
// runtime's Raw its runtime's), whatever the strings hold.
func TestDecodeSpaces(t *testing.T) {
	t.Parallel()
	pages := []string{
		`[]`,
		`null`,
		` [ {"id":"a/b"} , null, "x", 7, {"id":"c/d","tags":["x]","y}\"{"],"runtime":{"stage":"RUNNING","errorMessage":"\"]}"}} ] `,
		`[{"id":"a/b","likes":"3","private":"yes","lastModified":"not a time","runtime":"RUNNING","Runtime":{"stage":"PAUSED"}}]`,
		`[{"id":"a/b","runtime":{"stage":"BUILDING"},"runtime":null}]`,
		`[{"id":"a\u002fb","run\u0074ime":{"stage":"SLEEPING"},"tags":{"a":1},"author":["x"]}]`,
	}
	for _, page := range pages {
		got, err := decodeSpaces([]byte(page))
		if err != nil {
			t.Errorf("decodeSpaces(%s): %v", page, err)
			continue
		}
		var raws []json.RawMessage
		if err := json.Unmarshal([]byte(page), &raws); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(raws) {
			t.Errorf("decodeSpaces(%s): %d entries, want %d", page, len(got), len(raws))
			continue
		}
		for i, raw := range raws {
			var want *SpaceInfo
			if isObject(raw) {
				want = new(SpaceInfo)
				if err := json.Unmarshal(raw, want); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(want, got[i]); diff != "" {
				t.Errorf("decodeSpaces(%s) entry %d (-alone +page):\n%s", page, i, diff)
			}
			if want != nil && string(got[i].Raw) != string(raw) {
				t.Errorf("entry %d Raw = %s, want %s", i, got[i].Raw, raw)
			}
		}
	}
	mistyped, err := decodeSpaces([]byte(`[{"id":"a/b","runtime":"RUNNING"},{"id":"c/d","runtime":{"replicas":[1],"hotReloading":"x"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	if mistyped[0].Runtime != nil {
		t.Errorf("a runtime that is a string decoded as %+v, want nil", mistyped[0].Runtime)
	}
	if rt := mistyped[1].Runtime; rt == nil || rt.Replicas != nil || rt.HotReloading != nil {
		t.Errorf("replicas and hot reloading that are no objects decoded as %+v, want nil", rt)
	}
	for _, bad := range []string{`{"id":"a/b"}`, `[{"id":}]`, `"x"`} {
		if _, err := decodeSpaces([]byte(bad)); err == nil {
			t.Errorf("decodeSpaces(%s) succeeded", bad)
		}
	}
}

func TestObjectField(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ obj, want string }{
		{`{"runtime":{"a":"}"}}`, `{"a":"}"}`},
		{`{"x":"runtime","runtime":[1, 2]}`, `[1, 2]`},
		{`{"RUNTIME":1,"runtime":2}`, `2`},
		{`{"run\u0074ime":"x"}`, `"x"`},
		{`{"runtime":null}`, ``},
		{`{"a":"\\","runtime":true}`, `true`},
		{`{}`, ``},
		{`[]`, ``},
	} {
		if got := objectField([]byte(tt.obj), "runtime"); string(got) != tt.want {
			t.Errorf("objectField(%s) = %s, want %s", tt.obj, got, tt.want)
		}
	}
}

// FuzzDecodeSpaces: the one-pass page decoder agrees with decoding each
// entry alone, and never panics.
func FuzzDecodeSpaces(f *testing.F) {
	f.Add(`[{"id":"a/b","runtime":{"stage":"RUNNING"}},null]`)
	f.Add(`[{"id":"a\"]}b","tags":["}"]}]`)
	f.Fuzz(func(t *testing.T, page string) {
		got, err := decodeSpaces([]byte(page))
		var raws []json.RawMessage
		if json.Unmarshal([]byte(page), &raws) != nil || err != nil {
			return
		}
		if len(got) != len(raws) {
			t.Fatalf("%d entries, want %d", len(got), len(raws))
		}
		for i, raw := range raws {
			if got[i] == nil {
				continue
			}
			var want SpaceInfo
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("entry %d alone: %v", i, err)
			}
			if diff := cmp.Diff(&want, got[i], cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("entry %d (-alone +page):\n%s", i, diff)
			}
		}
	})
}
