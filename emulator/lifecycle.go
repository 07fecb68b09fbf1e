package emulator

import (
	"fmt"
	"slices"
	"time"
)

// The life-cycle is computed lazily: a Space stores when its build started
// and when each phase ends, and settle moves it through every transition
// that is due at a given time, writing the log lines each step produces
// with the time that step happened. Reading a Space at time t therefore
// always gives the same answer, whoever reads it and whenever the reads
// happen, and nothing runs in the background.

// buildSteps are the build log lines written while a build progresses,
// spread evenly over the build phase; %s is the SDK's base image.
var buildSteps = []string{
	"--> FROM docker.io/library/python:3.10@sha256:d2b4b4e5a4ba9e3d5fc3ac9c1a2c3e7d0f1b2a3c4d5e6f708192a3b4c5d6e7f8\n",
	"DONE 0.0s\n",
	"--> RUN apt-get update && apt-get install -y git git-lfs ffmpeg libsm6 libxext6 cmake rsync libgl1-mesa-glx\n",
	"DONE 4.1s\n",
	"--> COPY --link --chown=1000 --from=lfs /app /home/user/app\n",
	"DONE 0.1s\n",
	"--> RUN pip install --no-cache-dir -r requirements.txt\n",
	"DONE 9.8s\n",
}

// startBuild begins a build of the Space at time at. A running Space keeps
// serving while it builds (RUNNING_BUILDING).
func (e *Emulator) startBuild(s *spaceRecord, at time.Time, build, start time.Duration) {
	stage, msg, steps := e.planBuild(s)
	if stage != "" {
		s.Stage = stage
		s.ErrorMessage = msg
		s.HardwareCurrent = ""
		return
	}
	if s.static() {
		s.Stage = StageRunning
		s.ErrorMessage = ""
		return
	}
	s.BuildPlan = steps
	switch s.Stage {
	case StageRunning, StageRunningBuilding, StageRunningAppStarting:
		s.Stage = StageRunningBuilding
	default:
		s.Stage = StageBuilding
		s.HardwareCurrent = ""
	}
	s.ErrorMessage = ""
	s.BuildStart = at
	s.BuildEnd = at.Add(build)
	s.StartEnd = s.BuildEnd.Add(start)
	s.BuildSteps = 0
	sha := s.Sha
	if len(sha) > 7 {
		sha = sha[:7]
	}
	e.replaceLog(s, true, []LogLine{{
		Data:      fmt.Sprintf("===== Build Queued at %s / Commit SHA: %s =====\n", at.UTC().Format("2006-01-02 15:04:05"), sha),
		Timestamp: at,
	}, {Data: "\n", Timestamp: at}})
}

// maxLogLines is how many lines a log keeps: a Space that logs forever
// must not grow memory, or its record in the data file, without bound.
// Older lines are dropped in batches, so a log holds at most a quarter more.
const maxLogLines = 10_000

// replaceLog starts a new build or run log. A non-empty log that is
// replaced counts as a new generation: its open streams end.
func (e *Emulator) replaceLog(s *spaceRecord, build bool, lines []LogLine) {
	if build {
		if len(s.BuildLog) > 0 || s.BuildLogDropped > 0 {
			s.BuildGen++
		}
		s.BuildLog, s.BuildLogDropped = lines, 0
		return
	}
	if len(s.RunLog) > 0 || s.RunLogDropped > 0 {
		s.RunGen++
	}
	s.RunLog, s.RunLogDropped = lines, 0
}

func (e *Emulator) appendLog(s *spaceRecord, build bool, line LogLine) {
	log, dropped := &s.RunLog, &s.RunLogDropped
	if build {
		log, dropped = &s.BuildLog, &s.BuildLogDropped
	}
	*log = append(*log, line)
	if n := len(*log); n > maxLogLines+maxLogLines/4 {
		// A fresh array: open streams still read the old one.
		*log = slices.Clone((*log)[n-maxLogLines:])
		*dropped += n - maxLogLines
	}
}

// stepTime is when build step i (0-based) is written.
func stepTime(s *spaceRecord, i int) time.Time {
	d := s.BuildEnd.Sub(s.BuildStart)
	return s.BuildStart.Add(d * time.Duration(i+1) / time.Duration(len(s.steps())+1))
}

// settle applies every transition of the Space that is due at now. It
// reports whether anything changed.
func (e *Emulator) settle(s *spaceRecord, now time.Time) bool {
	changed := false
	for {
		switch s.Stage {
		case StageBuilding, StageRunningBuilding:
			for s.BuildSteps < len(s.steps()) && !now.Before(stepTime(s, s.BuildSteps)) && (s.FailBuild == "" || s.BuildSteps < s.failStep()) {
				e.appendLog(s, true, LogLine{Data: s.steps()[s.BuildSteps], Timestamp: stepTime(s, s.BuildSteps)})
				s.BuildSteps++
				changed = true
			}
			if now.Before(s.BuildEnd) {
				return changed
			}
			at := s.BuildEnd
			changed = true
			if s.FailBuild != "" {
				e.appendLog(s, true, LogLine{Data: "ERROR: " + s.FailBuild + "\n", Timestamp: at})
				e.appendLog(s, true, LogLine{Data: "--> ERROR: process \"/bin/sh -c pip install --no-cache-dir -r requirements.txt\" did not complete successfully: exit code: 1\n", Timestamp: at})
				s.Stage = StageBuildError
				s.ErrorMessage = "Build failed with exit code: 1: " + s.FailBuild
				s.HardwareCurrent = ""
				return changed
			}
			for s.BuildSteps < len(s.steps()) {
				e.appendLog(s, true, LogLine{Data: s.steps()[s.BuildSteps], Timestamp: at})
				s.BuildSteps++
			}
			e.appendLog(s, true, LogLine{Data: "--> Pushing image\n", Timestamp: at})
			e.appendLog(s, true, LogLine{Data: "DONE 1.2s\n", Timestamp: at})
			if s.Stage == StageBuilding {
				s.Stage = StageAppStarting
				s.HardwareCurrent = s.HardwareRequested
				e.replaceLog(s, false, startupBanner(at))
			} else {
				s.Stage = StageRunningAppStarting
			}
		case StageAppStarting, StageRunningAppStarting:
			if now.Before(s.StartEnd) {
				return changed
			}
			at := s.StartEnd
			changed = true
			if s.Stage == StageRunningAppStarting {
				e.replaceLog(s, false, startupBanner(at))
			}
			s.Stage = StageRunning
			s.HardwareCurrent = s.HardwareRequested
			s.RunningSince = at
			for _, l := range appBanner(s.SDK) {
				e.appendLog(s, false, LogLine{Data: l, Timestamp: at})
			}
		case StageRunning:
			sleep := s.sleepSeconds()
			if sleep <= 0 || s.RunningSince.IsZero() {
				return changed
			}
			at := s.RunningSince.Add(time.Duration(sleep) * time.Second)
			if now.Before(at) {
				return changed
			}
			s.Stage = StageSleeping
			s.HardwareCurrent = ""
			return true
		default:
			return changed
		}
	}
}

// nextWake is the next time settle would change the Space, or zero if
// nothing is scheduled.
func nextWake(s *spaceRecord) time.Time {
	switch s.Stage {
	case StageBuilding, StageRunningBuilding:
		if s.BuildSteps < len(s.steps()) && (s.FailBuild == "" || s.BuildSteps < s.failStep()) {
			if t := stepTime(s, s.BuildSteps); t.Before(s.BuildEnd) {
				return t
			}
		}
		return s.BuildEnd
	case StageAppStarting, StageRunningAppStarting:
		return s.StartEnd
	case StageRunning:
		if sleep := s.sleepSeconds(); sleep > 0 && !s.RunningSince.IsZero() {
			return s.RunningSince.Add(time.Duration(sleep) * time.Second)
		}
	}
	return time.Time{}
}

// logOpen reports whether more lines can still come to a log: a build log
// while a build runs; a run log while the app is alive or about to be. A
// static Space has neither a build nor an app.
func logOpen(s *spaceRecord, build bool) bool {
	if s.static() {
		return false
	}
	switch s.Stage {
	case StageBuilding, StageRunningBuilding:
		return true
	case StageAppStarting, StageRunning, StageRunningAppStarting:
		return !build
	}
	return false
}

func startupBanner(at time.Time) []LogLine {
	return []LogLine{
		{Data: fmt.Sprintf("===== Application Startup at %s =====\n", at.UTC().Format("2006-01-02 15:04:05")), Timestamp: at},
		{Data: "\n", Timestamp: at},
	}
}

func appBanner(sdk string) []string {
	switch sdk {
	case "docker":
		return []string{
			"INFO:     Started server process [1]\n",
			"INFO:     Waiting for application startup.\n",
			"INFO:     Application startup complete.\n",
			"INFO:     Uvicorn running on http://0.0.0.0:7860 (Press CTRL+C to quit)\n",
		}
	case "streamlit":
		return []string{
			"\n",
			"Collecting usage statistics. To deactivate, set browser.gatherUsageStats to false.\n",
			"\n",
			"  You can now view your Streamlit app in your browser.\n",
			"\n",
			"  URL: http://0.0.0.0:8501\n",
		}
	default:
		return []string{
			"* Running on local URL:  http://0.0.0.0:7860, with SSR ⚡ (experimental, to disable set `ssr=False` in `launch()`)\n",
			"\n",
			"To create a public link, set `share=True` in `launch()`.\n",
		}
	}
}
