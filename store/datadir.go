package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DatabaseFile is the name of the database inside the data folder.
const DatabaseFile = "ctvms.db"

// DefaultDataDir returns the per-user folder for CTVMS data:
// $XDG_DATA_HOME/ctvms (default ~/.local/share/ctvms) on Linux,
// %AppData%\CTVMS on Windows and ~/Library/Application Support/CTVMS on
// macOS.
func DefaultDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find the user data folder: %w", err)
		}
		return filepath.Join(dir, "CTVMS"), nil
	}
	if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
		return filepath.Join(xdg, "ctvms"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the home folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "ctvms"), nil
}
