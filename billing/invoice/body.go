package invoice

import (
	"fmt"
	"strconv"
)

// Table geometry in points.
const (
	cellPadding      = 6.0
	periodWidth      = 150.0
	amountWidth      = 100.0
	totalsWidth      = 250.0
	totalsLabelWidth = 120.0
)

// customerBlock returns the "Billed to" block with the service and plan
// beside it.
func customerBlock(r *renderer, d Document) (block, error) {
	half := (contentWidth - columnGap) / 2
	customer, err := customerColumn(r, d.Customer, half)
	if err != nil {
		return block{}, err
	}
	heading, service, err := serviceColumn(r, d, margin+half+columnGap, half)
	if err != nil {
		return block{}, err
	}

	height := max(customer.height, heading.height+service.height)
	return ruledBlock("customer details", 0, height, func(r *renderer, top float64) error {
		if err := customer.draw(r, top); err != nil {
			return err
		}
		if err := heading.draw(r, top); err != nil {
			return err
		}
		return service.draw(r, top+heading.height)
	}), nil
}

func customerColumn(r *renderer, c Customer, width float64) (column, error) {
	col := column{x: margin, width: width}
	lines := []struct {
		style       style
		field, text string
		spaceBefore float64
	}{
		{headingStyle, "label", r.labels.billedTo, 0},
		{partyStyle, "Customer.Name", c.Name, 3},
		{bodyStyle, "Customer.CRF", "CRF " + strconv.FormatInt(c.CRF, 10), 0},
	}
	for _, l := range lines {
		col.space(l.spaceBefore)
		if err := col.add(r, l.style, l.field, l.text); err != nil {
			return col, err
		}
	}
	err := addCustomerContact(r, &col, c)
	return col, err
}

// serviceColumn returns the "SERVICE" heading and, below it, the service
// and plan.
func serviceColumn(r *renderer, d Document, x, width float64) (column, pairList, error) {
	heading := column{x: x, width: width}
	service := pairList{x: x, labelWidth: 80, valueWidth: width - 80}
	if err := heading.add(r, headingStyle, "label", r.labels.service); err != nil {
		return heading, service, err
	}
	heading.space(1)

	if err := service.add(r, labelStyle, strongStyle, r.labels.serviceName, "Service", d.Service); err != nil {
		return heading, service, err
	}
	err := service.add(r, labelStyle, bodyStyle, r.labels.plan, "Plan", d.Plan)
	return heading, service, err
}

func addCustomerContact(r *renderer, col *column, c Customer) error {
	for i, line := range c.AddressLines {
		field := fmt.Sprintf("Customer.AddressLines[%d]", i)
		if err := col.add(r, bodyStyle, field, line); err != nil {
			return err
		}
	}
	if c.Mobile != "" {
		if err := col.add(r, bodyStyle, "Customer.Mobile", r.labels.mobile+c.Mobile); err != nil {
			return err
		}
	}
	if c.Email != "" {
		return col.add(r, bodyStyle, "Customer.Email", r.labels.email+c.Email)
	}
	return nil
}

// tableColumns returns the three cells of a table row: period,
// description and amount.
func tableColumns() (period, description, amount column) {
	x := margin + cellPadding
	period = column{x: x, width: periodWidth}
	x += periodWidth + columnGap
	amount = column{x: pageWidth - margin - cellPadding - amountWidth, width: amountWidth, alignRight: true}
	description = column{x: x, width: amount.x - columnGap - x}
	return period, description, amount
}

// tableBlocks returns the heading row and one block per line. The heading
// is repeated on every page the rows continue on.
func tableBlocks(r *renderer, d Document) ([]block, error) {
	if len(d.Lines) == 0 {
		return nil, nil
	}
	heading, err := tableRow(r, true, [3][2]string{
		{"label", r.labels.period}, {"label", r.labels.description}, {"label", r.labels.amount},
	})
	if err != nil {
		return nil, err
	}
	heading.keepWithNext = true

	blocks := []block{heading}
	for i, l := range d.Lines {
		field := fmt.Sprintf("Lines[%d]", i)
		row, err := tableRow(r, false, [3][2]string{
			{field + ".Start", formatDate(l.Start, r.language) + " – " + formatDate(l.End, r.language)},
			{field + ".Description", l.Description},
			{field + ".Amount", l.Amount.Format(d.CurrencySymbol)},
		})
		if err != nil {
			return nil, err
		}
		row.carry = &heading
		blocks = append(blocks, row)
	}
	// The totals never start a page without at least the last row above.
	blocks[len(blocks)-1].keepWithNext = true
	return blocks, nil
}

// tableRow returns one row of the table from three (field, text) cells. The
// heading row is bold on a shaded band, and other rows have a rule below.
func tableRow(r *renderer, isHeading bool, cells [3][2]string) (block, error) {
	s := bodyStyle
	if isHeading {
		s = headingStyle
	}
	period, description, amount := tableColumns()
	columns := []*column{&period, &description, &amount}
	height := 0.0
	for i, col := range columns {
		if err := col.add(r, s, cells[i][0], cells[i][1]); err != nil {
			return block{}, err
		}
		height = max(height, col.height)
	}
	height += 2 * cellPadding

	return block{
		name:   "table row " + cells[1][0],
		height: height,
		draw: func(r *renderer, top float64) error {
			if isHeading {
				r.shade(margin, top, contentWidth, height)
			} else {
				r.rule(top + height)
			}
			for _, col := range columns {
				if err := col.draw(r, top+cellPadding); err != nil {
					return err
				}
			}
			return nil
		},
	}, nil
}

// totalsBlock returns the amount paid, how it was paid, the balance and the
// new expiry on the right, and who received the payment on the left.
func totalsBlock(r *renderer, d Document) (block, error) {
	totals := pairList{x: pageWidth - margin - cellPadding - totalsWidth, labelWidth: totalsLabelWidth, valueWidth: totalsWidth - totalsLabelWidth}
	rows := []struct {
		label, field, value string
		valueStyle          style
		shaded              bool
	}{
		{r.labels.amountPaid, "Amount", d.Amount.Format(d.CurrencySymbol), strongStyle, true},
		{r.labels.mode, "Mode", d.Mode, bodyStyle, false},
		{r.labels.reference, "Reference", d.Reference, bodyStyle, false},
		{r.labels.balanceDue, "BalanceDue", d.BalanceDue.Format(d.CurrencySymbol), strongStyle, false},
		{r.labels.validUntil, "NewExpiry", formatDate(d.NewExpiry, r.language), strongStyle, false},
	}
	for _, row := range rows {
		if err := totals.add(r, labelStyle, row.valueStyle, row.label, row.field, row.value); err != nil {
			return block{}, err
		}
		if row.shaded {
			totals.shadeLast()
		}
	}

	received, err := receivedColumn(r, d.ReceivedBy, totals.x-2*columnGap-margin)
	if err != nil {
		return block{}, err
	}

	height := max(totals.height, received.height)
	return ruledBlock("totals", blockGap, height, func(r *renderer, top float64) error {
		// Align the first line with the label of the first totals row.
		if err := received.draw(r, top+pairPadding+totals.rows[0].labelDrop); err != nil {
			return err
		}
		return totals.draw(r, top)
	}), nil
}

// receivedColumn returns the name of the login that received the payment,
// or an empty column when no name is given.
func receivedColumn(r *renderer, receivedBy string, width float64) (column, error) {
	col := column{x: margin, width: width}
	if receivedBy == "" {
		return col, nil
	}
	if err := col.add(r, labelStyle, "label", r.labels.receivedBy); err != nil {
		return col, err
	}
	err := col.add(r, strongStyle, "ReceivedBy", receivedBy)
	return col, err
}

// footerBlock returns the business's terms in small print.
func footerBlock(r *renderer, footer string) (block, error) {
	terms := column{x: margin, width: contentWidth}
	if err := terms.add(r, footerStyle, "Business.Footer", footer); err != nil {
		return block{}, err
	}
	return block{
		name:   "footer",
		height: terms.height,
		draw:   terms.draw,
	}, nil
}
