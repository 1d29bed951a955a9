// Package plot draws neurosim's figures with gonum.org/v1/plot, as SVG and
// PNG: a trade-off chart of energy against accuracy with Pareto fronts, a
// stacked bar chart of joules by category, a line chart of energy along the
// steps of a sequence, and a heatmap of a value over two categorical axes
// with its colour bar (Heatmap is meant for reuse: accuracy over levels ×
// read noise, a feasibility margin over write energy × τ).
//
// Conventions: every axis and colour bar names its quantity and SI unit,
// values are scaled with a prefix chosen from the largest (SI), and each
// model keeps one colour in every figure (Colors); within a bar, categories
// are shades of the model's colour. Rendering is deterministic: the same
// figure gives the same bytes.
package plot
