/**
 * Page geometry and type sizes of the invoice, in PDF points (1/72 inch).
 * Kept in one place so every section lines up with the table.
 */
import { PageSizes, rgb } from 'pdf-lib'

export const PAGE_WIDTH = PageSizes.A4[0]
export const PAGE_HEIGHT = PageSizes.A4[1]

export const MARGIN_X = 50
export const MARGIN_TOP = 56
/** Content stops here; the footer lives below it. */
export const CONTENT_BOTTOM = 64
export const FOOTER_Y = 32
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
export const CONTENT_RIGHT = PAGE_WIDTH - MARGIN_X

export const TITLE_SIZE = 22
export const TEXT_SIZE = 9.5
export const SMALL_SIZE = 8
export const LINE_HEIGHT = 12.5
/** Vertical space between the blocks of the invoice. */
export const SECTION_GAP = 22
/** Smallest size a number is shrunk to so it fits its column. */
export const MIN_NUMBER_SIZE = 5

export const INK = rgb(0.1, 0.1, 0.1)
export const MUTED = rgb(0.4, 0.4, 0.4)
export const RULE = rgb(0.8, 0.8, 0.8)
export const HEADER_FILL = rgb(0.94, 0.94, 0.94)

/** Space between a table cell's edge and its text. */
export const CELL_PADDING = 4
