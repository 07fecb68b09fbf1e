// Package hfhub manages Hugging Face Spaces: runtime and stage, hardware,
// sleep time, pause and restart, secrets, variables, storage and volumes,
// dev mode, duplication, build and run logs, and waiting until a Space
// settles; and their repositories: create, delete, settings, move, list
// and download files, commit and upload a folder. It speaks the Hub's wire protocol and depends on the standard
// library only.
//
// # Usage
//
// Build one Client and share it; it is safe for concurrent use and reuses
// connections. NewClient makes no network call.
//
//	client, err := hfhub.NewClient()
//	if err != nil { … }
//	rt, err := client.Spaces.GetRuntime(ctx, "namespace/space-name")
//
// Every operation takes a context.Context first: when it is cancelled the
// call returns at once, waits between retries included, with the context's
// error (errors.Is(err, context.Canceled) or context.DeadlineExceeded).
// Option-struct pointers may be nil.
//
// # Authentication
//
// With no options NewClient finds the endpoint and the token as the
// official clients do: HF_ENDPOINT (default https://huggingface.co); then
// HF_TOKEN, HUGGING_FACE_HUB_TOKEN, or the token file that `hf auth login`
// writes (see TokenPath). HF_HUB_DISABLE_IMPLICIT_TOKEN=1 turns the implicit
// token off; WithToken, WithNoToken and WithEndpoint override the
// environment. The token is sent as "Authorization: Bearer …" to the
// endpoint's host only, never after a redirect to another host, and is never
// logged or put into an error.
//
// # Errors
//
// Input is checked before anything is sent; each refusal matches a
// sentinel with errors.Is (ErrInvalidRepoID, ErrInvalidKey,
// ErrInvalidHardware, ErrInvalidStorage, ErrInvalidSleepTime,
// ErrInvalidVolume, ErrInvalidOption). Any non-2xx answer is an *APIError
// (errors.As) with the status, the Hub's X-Error-Code and message, the
// request id and how long the Hub asked to wait; errors.Is matches it
// against ErrNotFound, ErrUnauthorized, ErrForbidden, ErrBadRequest,
// ErrConflict, ErrRateLimited and ErrServer. A Space that is private and
// not yours is ErrNotFound: the Hub does not tell the two apart.
//
// A hardware flavor is checked for its form only: a well-formed flavor
// this package does not know is sent, and the Hub's refusal comes back as
// ErrBadRequest with its message, so new flavors work without a new release.
//
// # Repositories
//
// SpacesService.Upload sends a folder as one commit, and Commit sends
// operations (AddFileBytes, AddFileFromPath, AddFileFunc, DeleteFile,
// DeleteFolder). Files whose remote copy is identical are skipped, and
// when nothing is left no commit is sent (CommitInfo.Committed is false).
// Git LFS files are uploaded first through the LFS batch API; files are
// hashed and sent by streaming, so memory does not grow with their size.
// The commit request is sent once: when it may have reached the Hub
// before failing, the error matches ErrOutcomeUnknown; a stale
// ParentCommit matches ErrConflict and ErrStaleParent. Client.NewRequest
// and Client.Do reach endpoints this package does not wrap.
//
// # Retries and rate limits
//
// Connection errors, answers cut while being read, and 408, 429, 500, 502,
// 503 and 504 answers are retried for reads and for the operations that are
// safe to repeat. Restart, Duplicate, Create, Move and the commit request
// are sent once: when one fails after its request may have reached the Hub
// (the connection broke after the request was written, a 2xx answer was
// cut, a gateway answered 502 or 504, or the context ended while the Hub
// held it), the error wraps ErrOutcomeUnknown: check the Space before
// trying again. A retried DeleteStorage or DeleteVolumes that finds nothing
// left to delete, after an attempt whose answer was lost, succeeds. The
// default RetryPolicy makes 3 retries, waiting
// 500 ms doubling with jitter up to 10 s; a 429 waits what the Hub's
// RateLimit or Retry-After header says, at most RetryPolicy.MaxWait
// (default 60 s) and never past the context's deadline. WithRetry changes
// the policy; RetryPolicy{} turns retries off.
//
// # Logging
//
// WithLogger takes a *slog.Logger for the Hub's X-HF-Warning headers (each
// topic once) and debug traces of requests. The default discards
// everything.
package hfhub
