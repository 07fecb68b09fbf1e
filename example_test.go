package hfhub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/hfhub-go/hfhub"
)

// fakeHub stands in for https://huggingface.co so that the examples run
// without a network or an account. Real code leaves out WithEndpoint.
func fakeHub() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/whoami-v2", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"type":"user","name":"alice","orgs":[{"name":"acme"}],"auth":{"accessToken":{"role":"write"}}}`)
	})
	mux.HandleFunc("GET /api/spaces/alice/demo/runtime", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"stage":"RUNNING","hardware":{"current":"cpu-basic","requested":"cpu-basic"},"storage":null,"gcTimeout":172800}`)
	})
	mux.HandleFunc("POST /api/spaces/alice/demo/secrets", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	})
	mux.HandleFunc("POST /api/spaces/alice/demo/hardware", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Flavor string `json:"flavor"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		if body.Flavor != "t4-medium" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"Invalid flavor: '%s'"}`, body.Flavor)
			return
		}
		io.WriteString(w, `{"stage":"RUNNING_BUILDING","hardware":{"current":"cpu-basic","requested":"t4-medium"},"gcTimeout":3600}`)
	})
	var srv *httptest.Server
	mux.HandleFunc("GET /api/spaces", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" { // the first page points to the second
			w.Header().Set("Link", "<"+srv.URL+"/api/spaces?author=alice&cursor=2>; rel=\"next\"")
			io.WriteString(w, `[{"id":"alice/demo","likes":12},{"id":"alice/chat","likes":3}]`)
			return
		}
		io.WriteString(w, `[{"id":"alice/notebook","likes":0}]`)
	})
	mux.HandleFunc("POST /api/spaces/alice/demo/duplicate", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Repository string `json:"repository"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		fmt.Fprintf(w, `{"url":%q}`, srv.URL+"/spaces/"+body.Repository)
	})
	srv = httptest.NewServer(mux)
	return srv
}

func ExampleNewClient() {
	hub := fakeHub()
	defer hub.Close()

	// With no options the client reads HF_ENDPOINT and the token from
	// HF_TOKEN or the file `hf auth login` writes.
	client, err := hfhub.NewClient(
		hfhub.WithEndpoint(hub.URL),
		hfhub.WithToken("hf_xxx"),
		hfhub.WithUserAgent("my-tool/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.WhoAmI(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Name, me.Orgs[0].Name, me.TokenRole)
	// Output: alice acme write
}

func ExampleSpacesService_GetRuntime() {
	hub := fakeHub()
	defer hub.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint(hub.URL), hfhub.WithToken("hf_xxx"))
	if err != nil {
		log.Fatal(err)
	}

	rt, err := client.Spaces.GetRuntime(context.Background(), "alice/demo")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stage:", rt.Stage, "hardware:", rt.Hardware)
	if rt.SleepTime != nil {
		fmt.Println("sleeps after", *rt.SleepTime, "seconds")
	}
	// Output:
	// stage: RUNNING hardware: cpu-basic
	// sleeps after 172800 seconds
}

func ExampleSpacesService_AddSecret() {
	hub := fakeHub()
	defer hub.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint(hub.URL), hfhub.WithToken("hf_xxx"))
	if err != nil {
		log.Fatal(err)
	}

	err = client.Spaces.AddSecret(context.Background(), "alice/demo", "OPENAI_API_KEY", "sk-…",
		&hfhub.SecretOptions{Description: "used by app.py"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("secret set")

	// A malformed key never reaches the Hub.
	err = client.Spaces.AddSecret(context.Background(), "alice/demo", "", "value", nil)
	fmt.Println(errors.Is(err, hfhub.ErrInvalidKey))
	// Output:
	// secret set
	// true
}

func ExampleSpacesService_RequestHardware() {
	hub := fakeHub()
	defer hub.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint(hub.URL), hfhub.WithToken("hf_xxx"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sleep := 3600
	rt, err := client.Spaces.RequestHardware(ctx, "alice/demo", hfhub.HardwareT4Medium,
		&hfhub.HardwareOptions{SleepTime: &sleep})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("requested:", rt.RequestedHardware, "running on:", rt.Hardware)

	// A flavor this library does not know is sent anyway; the Hub decides.
	_, err = client.Spaces.RequestHardware(ctx, "alice/demo", hfhub.Hardware("quantum-x1"), nil)
	var apiErr *hfhub.APIError
	if errors.Is(err, hfhub.ErrBadRequest) && errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.Message)
	}
	// Output:
	// requested: t4-medium running on: cpu-basic
	// refused: Invalid flavor: 'quantum-x1'
}

func ExampleSpacesService_Duplicate() {
	hub := fakeHub()
	defer hub.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint(hub.URL), hfhub.WithToken("hf_xxx"))
	if err != nil {
		log.Fatal(err)
	}

	// Without a namespace the copy goes to your own account.
	private := true
	repo, err := client.Spaces.Duplicate(context.Background(), "alice/demo", &hfhub.DuplicateOptions{
		ToID:     "demo-gpu",
		Private:  &private,
		Hardware: hfhub.HardwareT4Small,
		Storage:  hfhub.StorageSmall,
		Secrets:  []hfhub.EnvVar{{Key: "HF_TOKEN", Value: "hf_xxx"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(repo.RepoType, repo.RepoID)
	// Output: space alice/demo-gpu
}

func ExampleSpacesService_List() {
	hub := fakeHub()
	defer hub.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint(hub.URL), hfhub.WithToken("hf_xxx"))
	if err != nil {
		log.Fatal(err)
	}

	// List follows the Hub's pages by itself; break out of the loop to stop.
	for space, err := range client.Spaces.List(context.Background(), &hfhub.ListOptions{Author: "alice"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(space.ID, space.Likes)
	}
	// Output:
	// alice/demo 12
	// alice/chat 3
	// alice/notebook 0
}
