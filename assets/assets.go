// Package assets embeds the files the program ships inside its binary.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon, also named in FyneApp.toml.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
