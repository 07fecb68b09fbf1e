package iostreams

// ColorScheme wraps text in ANSI colours when colour is enabled. The text
// itself goes through Sanitize first, colour or not: what is coloured is
// shown, and only the scheme's own sequences reach the terminal.
type ColorScheme struct{ enabled bool }

func (c *ColorScheme) wrap(code, s string) string {
	s = Sanitize(s)
	if !c.enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Bold text.
func (c *ColorScheme) Bold(s string) string { return c.wrap("1", s) }

// Green text, for success and healthy stages.
func (c *ColorScheme) Green(s string) string { return c.wrap("32", s) }

// Yellow text, for transitional stages and warnings.
func (c *ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Red text, for failures.
func (c *ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Cyan text, for commands and identifiers.
func (c *ColorScheme) Cyan(s string) string { return c.wrap("36", s) }

// Gray text, for secondary detail.
func (c *ColorScheme) Gray(s string) string { return c.wrap("90", s) }

// SuccessIcon is a green check mark.
func (c *ColorScheme) SuccessIcon() string { return c.Green("✓") }

// WarningIcon is a yellow exclamation mark.
func (c *ColorScheme) WarningIcon() string { return c.Yellow("!") }

// FailureIcon is a red cross.
func (c *ColorScheme) FailureIcon() string { return c.Red("X") }
