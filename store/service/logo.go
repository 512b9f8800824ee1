package service

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg" // decodes JPEG logos
	_ "image/png"  // decodes PNG logos
	"os"
	"path/filepath"

	"github.com/ctvms/ctvms/billing/message"
)

// logoFile is the business logo inside the data folder.
const logoFile = "logo.png"

// maxLogoBytes bounds the logo file; a logo for a letterhead needs far
// less.
const maxLogoBytes = 1 << 20

// maxLogoSide bounds the logo's width and height in pixels.
const maxLogoSide = 2000

// SetLogo checks the PNG or JPEG image at src and stores it as the
// business logo, shown on the login screen and printed on invoices. An
// empty src removes the logo. Admin only.
func (s *Service) SetLogo(ctx context.Context, sess Session, src string) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	target := filepath.Join(s.dataDir, logoFile)
	if src == "" {
		if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
			return message.WithCause(err, "the logo was not removed: {{.Reason}}", "Reason", err)
		}
		s.log.Info("logo removed", "actor", sess.Username)
		return nil
	}
	data, err := readLogo(src)
	if err != nil {
		return err
	}
	tmp := target + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return logoNotSaved(err)
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return logoNotSaved(err)
	}
	s.log.Info("logo set", "actor", sess.Username, "bytes", len(data))
	return nil
}

// readLogo reads and checks a logo image.
func readLogo(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, message.NewError("logo {{.Path}} cannot be read: {{.Reason}}", "Path", path, "Reason", err)
	}
	if info.Size() > maxLogoBytes {
		return nil, message.NewError("logo {{.File}} has {{.Bytes}} bytes; choose an image under 1 MB",
			"File", filepath.Base(path), "Bytes", info.Size())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, message.WithCause(err, "logo {{.Path}} cannot be read: {{.Reason}}", "Path", path, "Reason", err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return nil, message.NewError("logo {{.File}} is not a PNG or JPEG image; choose one of those",
			"File", filepath.Base(path))
	}
	if cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
		return nil, message.NewError("logo {{.File}} is {{.Width}}×{{.Height}} pixels; choose an image at most "+
			"{{.Max}} pixels wide and high", "File", filepath.Base(path), "Width", cfg.Width, "Height", cfg.Height,
			"Max", maxLogoSide)
	}
	return data, nil
}

// Logo returns the business logo, or nil when none is set or it cannot be
// read. Any session, and the login screen before one, may show it.
func (s *Service) Logo() []byte {
	data, err := os.ReadFile(filepath.Join(s.dataDir, logoFile))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.log.Error("read logo", "err", err)
		}
		return nil
	}
	return data
}

// logoNotSaved returns the error of a logo file that could not be written
// into the data folder.
func logoNotSaved(err error) error {
	return message.WithCause(err, "the logo was not saved: {{.Reason}}", "Reason", err)
}
