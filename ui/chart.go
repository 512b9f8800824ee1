package ui

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

// Series colours of the collection chart and the legends.
var (
	cableColor     = color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 0xff}
	broadbandColor = color.NRGBA{R: 0xfb, G: 0x8c, B: 0x00, A: 0xff}
)

// collectionChart draws one stacked bar per month: cable TV below,
// broadband above, scaled to the largest month.
type collectionChart struct {
	widget.BaseWidget
	months []store.MonthCollection
	symbol string
}

func newCollectionChart(months []store.MonthCollection, symbol string) *collectionChart {
	c := &collectionChart{months: months, symbol: symbol}
	c.ExtendBaseWidget(c)
	return c
}

func (c *collectionChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{chart: c}
	r.build()
	return r
}

type chartRenderer struct {
	chart   *collectionChart
	bars    []*canvas.Rectangle // two per month: cable, broadband
	labels  []*canvas.Text      // month labels
	values  []*canvas.Text      // totals above the bars
	axis    *canvas.Line
	objects []fyne.CanvasObject
}

func (r *chartRenderer) build() {
	textColor := theme.Color(theme.ColorNameForeground)
	r.axis = canvas.NewLine(theme.Color(theme.ColorNameSeparator))
	r.objects = append(r.objects, r.axis)
	for _, m := range r.chart.months {
		cable := canvas.NewRectangle(cableColor)
		broadband := canvas.NewRectangle(broadbandColor)
		label := canvas.NewText(billing.NewDate(m.Year, m.Month, 1).MonthLabelIn(currentLanguage()), textColor)
		label.TextSize = theme.CaptionTextSize()
		label.Alignment = fyne.TextAlignCenter
		value := canvas.NewText(shortAmount(m.ByService.Total()), textColor)
		value.TextSize = theme.CaptionTextSize()
		value.Alignment = fyne.TextAlignCenter
		r.bars = append(r.bars, cable, broadband)
		r.labels = append(r.labels, label)
		r.values = append(r.values, value)
		r.objects = append(r.objects, cable, broadband, label, value)
	}
}

// shortAmount writes an amount compactly for the chart, such as 950,
// 12.4k or 1.2M. The value is for reading only.
func shortAmount(m billing.Money) string {
	major := m.Major()
	switch {
	case major >= 1e6:
		return strconv.FormatFloat(major/1e6, 'f', 1, 64) + "M"
	case major >= 1e4:
		return strconv.FormatFloat(major/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(major, 'f', 0, 64)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	n := len(r.chart.months)
	if n == 0 {
		return
	}
	labelHeight := theme.CaptionTextSize() + 6
	plotHeight := size.Height - 2*labelHeight
	slot := size.Width / float32(n)
	barWidth := slot * 0.6
	var peak billing.Money = 1
	for _, m := range r.chart.months {
		peak = max(peak, m.ByService.Total())
	}
	base := labelHeight + plotHeight
	for i, m := range r.chart.months {
		x := slot*float32(i) + (slot-barWidth)/2
		cableH := plotHeight * float32(m.ByService[billing.ServiceCableTV]) / float32(peak)
		bbH := plotHeight * float32(m.ByService[billing.ServiceBroadband]) / float32(peak)
		r.bars[2*i].Move(fyne.NewPos(x, base-cableH))
		r.bars[2*i].Resize(fyne.NewSize(barWidth, cableH))
		r.bars[2*i+1].Move(fyne.NewPos(x, base-cableH-bbH))
		r.bars[2*i+1].Resize(fyne.NewSize(barWidth, bbH))
		r.values[i].Move(fyne.NewPos(slot*float32(i), base-cableH-bbH-labelHeight))
		r.values[i].Resize(fyne.NewSize(slot, labelHeight))
		r.labels[i].Move(fyne.NewPos(slot*float32(i), base+2))
		r.labels[i].Resize(fyne.NewSize(slot, labelHeight))
	}
	r.axis.Position1 = fyne.NewPos(0, base)
	r.axis.Position2 = fyne.NewPos(size.Width, base)
}

func (r *chartRenderer) MinSize() fyne.Size {
	return fyne.NewSize(float32(len(r.chart.months))*48, 200)
}

func (r *chartRenderer) Refresh() {
	r.Layout(r.chart.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}

// legend shows a coloured square for each service.
func legend() fyne.CanvasObject {
	swatch := func(c color.Color) fyne.CanvasObject {
		r := canvas.NewRectangle(c)
		r.SetMinSize(fyne.NewSize(12, 12))
		return container.NewCenter(r)
	}
	return container.NewHBox(swatch(cableColor), widget.NewLabel(serviceLabel(billing.ServiceCableTV)),
		swatch(broadbandColor), widget.NewLabel(serviceLabel(billing.ServiceBroadband)))
}
