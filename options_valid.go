package hfhub

import "fmt"

// valid checks LogOptions the way every options struct is checked (see
// the valid methods beside each); Logs still checks the same inline until
// spaces_logs.go calls it.
func (o *LogOptions) valid() error {
	switch {
	case o == nil:
	case o.IdleTimeout < 0:
		return fmt.Errorf("%w: log idle timeout %s is negative", ErrInvalidOption, o.IdleTimeout)
	case o.Tail < 0:
		return fmt.Errorf("%w: log tail %d is negative", ErrInvalidOption, o.Tail)
	}
	return nil
}

// valid checks WaitOptions.
func (o *WaitOptions) valid() error {
	if o != nil && (o.PollInterval < 0 || o.MaxInterval < 0) {
		return fmt.Errorf("%w: negative poll interval", ErrInvalidOption)
	}
	return nil
}
