/**
 * The items table: a header repeated at the top of every page it spans and
 * one row per item, the description wrapped and the numbers right-aligned.
 */
import type { InvoiceFonts } from './pdf-fonts.js'
import { drawAligned, sizeToFit, textWidth } from './draw-text.js'
import {
  CELL_PADDING,
  CONTENT_WIDTH,
  HEADER_FILL,
  LINE_HEIGHT,
  MARGIN_X,
  MUTED,
  RULE,
  SMALL_SIZE,
  TEXT_SIZE,
} from './layout.js'
import type { PageFlow } from './page-flow.js'
import { wrapText } from './text-wrap.js'

/** The texts of one row, already formatted. */
export interface ItemRow {
  description: string
  quantity: string
  unitPrice: string
  taxRate: string
  total: string
}

interface Column {
  key: keyof ItemRow
  title: string
  width: number
}

const NUMBER_WIDTHS = { quantity: 55, unitPrice: 85, taxRate: 45, total: 100 }

const COLUMNS: readonly Column[] = [
  {
    key: 'description',
    title: 'Description',
    width:
      CONTENT_WIDTH -
      Object.values(NUMBER_WIDTHS).reduce((sum, width) => sum + width, 0),
  },
  { key: 'quantity', title: 'Qty', width: NUMBER_WIDTHS.quantity },
  { key: 'unitPrice', title: 'Unit price', width: NUMBER_WIDTHS.unitPrice },
  { key: 'taxRate', title: 'Tax', width: NUMBER_WIDTHS.taxRate },
  { key: 'total', title: 'Amount', width: NUMBER_WIDTHS.total },
]

const ROW_PADDING = 3
const HEADER_HEIGHT = LINE_HEIGHT + 2 * ROW_PADDING

function columnX(index: number): number {
  return COLUMNS.slice(0, index).reduce((x, c) => x + c.width, MARGIN_X)
}

/** Draws the column titles on a shaded band at the cursor. */
export function drawTableHeader(flow: PageFlow, fonts: InvoiceFonts): void {
  const top = flow.y
  flow.page.drawRectangle({
    x: MARGIN_X,
    y: top - HEADER_HEIGHT,
    width: CONTENT_WIDTH,
    height: HEADER_HEIGHT,
    color: HEADER_FILL,
  })

  COLUMNS.forEach((column, index) => {
    drawAligned(flow.page, column.title, {
      x: columnX(index) + CELL_PADDING,
      y: top - ROW_PADDING - SMALL_SIZE - 1,
      width: column.width - 2 * CELL_PADDING,
      font: fonts.bold,
      size: SMALL_SIZE,
      align: column.key === 'description' ? 'left' : 'right',
      color: MUTED,
    })
  })
  flow.y = top - HEADER_HEIGHT
}

/** Height of the header plus the first row, to keep them together. */
export function tableStartHeight(): number {
  return HEADER_HEIGHT + LINE_HEIGHT + 2 * ROW_PADDING
}

/**
 * Draws one item row, moving to a new page first when it does not fit (the
 * flow's `onNewPage` then redraws the header).
 */
export function drawItemRow(
  flow: PageFlow,
  fonts: InvoiceFonts,
  row: ItemRow,
): void {
  const [first, ...numbers] = COLUMNS
  const descriptionWidth = (first?.width ?? 0) - 2 * CELL_PADDING
  const lines = wrapText(row.description, descriptionWidth, (text) =>
    textWidth(fonts.regular, text, TEXT_SIZE),
  )
  const height = lines.length * LINE_HEIGHT + 2 * ROW_PADDING
  flow.ensure(height)

  const top = flow.y
  const baseline = top - ROW_PADDING - TEXT_SIZE
  lines.forEach((line, index) => {
    flow.page.drawText(line, {
      x: MARGIN_X + CELL_PADDING,
      y: baseline - index * LINE_HEIGHT,
      size: TEXT_SIZE,
      font: fonts.regular,
    })
  })

  numbers.forEach((column, offset) => {
    const text = row[column.key]
    const width = column.width - 2 * CELL_PADDING
    drawAligned(flow.page, text, {
      x: columnX(offset + 1) + CELL_PADDING,
      y: baseline,
      width,
      font: fonts.regular,
      size: sizeToFit(text, fonts.regular, TEXT_SIZE, width),
      align: 'right',
    })
  })

  flow.y = top - height
  flow.page.drawLine({
    start: { x: MARGIN_X, y: flow.y },
    end: { x: MARGIN_X + CONTENT_WIDTH, y: flow.y },
    thickness: 0.4,
    color: RULE,
  })
}
