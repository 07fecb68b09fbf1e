package emulator

import "fmt"

// DemoSeed is the state of Config{Seed: "demo"}:
//
//	accounts   user demo (tokens hf_demo_write: write, hf_demo_read: read)
//	           user other (token hf_other_write: write)
//	           organization demo-org, member demo
//	Spaces     demo/gradio-app     public gradio, RUNNING on cpu-basic; variables MODEL_ID and
//	                               GREETING, secret HF_API_KEY; build and run logs
//	           demo/static-site    public static, RUNNING
//	           demo/gpu-app        private gradio, RUNNING on t4-small, never sleeps
//	           demo/broken-build   public gradio, BUILD_ERROR (every build fails), build logs
//	           demo-org/team-space public streamlit, RUNNING
//	           other/private-space private gradio owned by other, RUNNING
const DemoSeed = "demo"

func (e *Emulator) applySeed(seed string) error {
	switch seed {
	case "":
		return nil
	case DemoSeed:
	default:
		return fmt.Errorf("emulator: unknown seed %q (want \"\" or %q)", seed, DemoSeed)
	}
	steps := []func() error{
		func() error { return e.AddUser("demo") },
		func() error { return e.AddUser("other") },
		func() error { return e.AddOrg("demo-org", "demo") },
		func() error { return e.AddToken(DemoWriteToken, "demo", "write") },
		func() error { return e.AddToken(DemoReadToken, "demo", "read") },
		func() error { return e.AddToken(OtherWriteToken, "other", "write") },
		func() error {
			return e.AddSpace(SpaceSpec{
				ID: "demo/gradio-app", Likes: 3,
				Variables: map[string]string{"MODEL_ID": "demo/tiny-model", "GREETING": "Hello"},
				Secrets:   map[string]string{"HF_API_KEY": "demo-secret-value"},
			})
		},
		func() error { return e.AddSpace(SpaceSpec{ID: "demo/static-site", SDK: "static"}) },
		func() error {
			return e.AddSpace(SpaceSpec{ID: "demo/gpu-app", Private: true, Hardware: "t4-small"})
		},
		func() error {
			return e.AddSpace(SpaceSpec{ID: "demo/broken-build", Stage: StageBuildError})
		},
		func() error { return e.AddSpace(SpaceSpec{ID: "demo-org/team-space", SDK: "streamlit"}) },
		func() error { return e.AddSpace(SpaceSpec{ID: "other/private-space", Private: true}) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	e.AppendLog("demo/gradio-app", false, "Loaded model demo/tiny-model in 0.4s")
	return nil
}
