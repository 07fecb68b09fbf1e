// Package hfhub manages Hugging Face Spaces: runtime and stage, hardware,
// sleep time, pause and restart, secrets, variables, storage and volumes,
// dev mode, duplication, build and run logs, and waiting until a Space
// settles. It speaks the Hub's wire protocol and depends on the standard
// library only.
package hfhub
