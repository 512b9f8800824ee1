package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// errNoPrintCommand is returned where the system has no print command.
var errNoPrintCommand = errors.New("no print command was found on this computer")

// printTimeout bounds how long the print command may take to queue a job.
const printTimeout = 20 * time.Second

// printPDF sends a PDF to the default printer with the system's print
// command: lp (CUPS) on Linux and macOS. Other systems have no command the
// program can rely on, so it reports errNoPrintCommand there.
func printPDF(path string) error {
	if runtime.GOOS == "windows" {
		return errNoPrintCommand
	}
	lp, err := exec.LookPath("lp")
	if err != nil {
		return fmt.Errorf("%w (lp is missing; install CUPS to print)", errNoPrintCommand)
	}
	cmd := exec.Command(lp, "--", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start lp: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(printTimeout):
		cmd.Process.Kill()
		return fmt.Errorf("lp did not finish within %s; check the printer", printTimeout)
	}
	if err != nil {
		return fmt.Errorf("lp failed: %s", strings.TrimSpace(stderr.String()))
	}
	return nil
}
