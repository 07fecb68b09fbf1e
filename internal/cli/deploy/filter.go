package deploy

// IgnoreFilter returns the filter deploy gives UploadOptions.Filter for
// dir: its .gitignore rules (and .git/info/exclude). hfspaces apply uses it
// for a fleet file's source folders, so that both send the same files.
func IgnoreFilter(dir string) (func(relPath string, isDir bool) bool, error) {
	rules, err := loadIgnoreRules(dir)
	if err != nil {
		return nil, err
	}
	return rules.Keep, nil
}
