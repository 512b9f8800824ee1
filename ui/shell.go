package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// page is one entry of a shell's navigation list.
type page struct {
	// title is the English title, which identifies the page; pageLabel
	// translates it for the screen.
	title string
	icon  fyne.Resource
	// build makes the screen each time the page is opened, so it shows
	// fresh data.
	build func() fyne.CanvasObject
}

// navShell is a window layout with a navigation list on the left, the open
// page on the right and the user's name with a Log out button on top.
type navShell struct {
	pages   []page
	nav     *widget.List
	content *fyne.Container
	current int
	// onOpen, when set, receives each page's content after it is built.
	onOpen func(fyne.CanvasObject)
	// badge, when set, returns a count shown after a page's title, such
	// as unread complaints; zero shows nothing.
	badge func(title string) int
}

func newNavShell(pages []page) *navShell {
	return &navShell{pages: pages, current: -1}
}

func (n *navShell) buildUI(who string, onLogout func()) fyne.CanvasObject {
	n.content = container.NewStack()
	n.nav = widget.NewList(
		func() int { return len(n.pages) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel(lang.L("Payment details")))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Icon).SetResource(n.pages[id].icon)
			box.Objects[1].(*widget.Label).SetText(n.label(id))
		},
	)
	n.nav.OnSelected = func(id widget.ListItemID) { n.open(id) }

	logout := widget.NewButtonWithIcon(lang.L("Log out"), theme.LogoutIcon(), onLogout)
	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle(who, fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), logout)
	split := container.NewHSplit(n.nav, n.content)
	split.Offset = 0.18
	n.nav.Select(0)
	return container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, split)
}

// label returns a page's title with its badge count.
func (n *navShell) label(id int) string {
	title := n.pages[id].title
	if n.badge == nil {
		return pageLabel(title)
	}
	if count := n.badge(title); count > 0 {
		return fmt.Sprintf("%s (%d)", pageLabel(title), count)
	}
	return pageLabel(title)
}

// refreshBadges redraws the navigation with fresh badge counts.
func (n *navShell) refreshBadges() {
	if n.nav != nil {
		n.nav.Refresh()
	}
}

// open shows page id, rebuilding it.
func (n *navShell) open(id int) {
	if id < 0 || id >= len(n.pages) {
		return
	}
	n.current = id
	page := n.pages[id].build()
	n.content.Objects = []fyne.CanvasObject{page}
	n.content.Refresh()
	if n.onOpen != nil {
		n.onOpen(page)
	}
	n.refreshBadges()
}

// openTitle selects the page with the given title and reports whether
// one exists.
func (n *navShell) openTitle(title string) bool {
	for i, p := range n.pages {
		if p.title == title {
			n.nav.Select(i)
			return true
		}
	}
	return false
}

// menu returns a "Go" menu with an item per page; the first nine pages get
// the shortcuts Alt+1 to Alt+9. Menu shortcuts work wherever the focus is.
func (n *navShell) menu() *fyne.Menu {
	items := make([]*fyne.MenuItem, 0, len(n.pages))
	for i, p := range n.pages {
		item := fyne.NewMenuItem(pageLabel(p.title), func() { n.nav.Select(i) })
		item.Icon = p.icon
		if i < 9 {
			item.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierAlt}
		}
		items = append(items, item)
	}
	return fyne.NewMenu(lang.L("Go"), items...)
}

// screenTitle returns a heading for the top of a screen.
func screenTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
