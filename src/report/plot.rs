//! Charts as SVG and PNG (plotters, with an embedded DejaVu font: no system fonts needed).
//!
//! Each function writes `<stem>.svg` and `<stem>.png` and returns both paths.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// Errors while drawing a chart.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot draw chart: {message}", file.display())]
pub struct PlotError {
    /// The chart file.
    pub file: PathBuf,
    /// What failed.
    pub message: String,
}

/// A named series of (x, y) points.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// The points, in drawing order.
    pub points: Vec<(f64, f64)>,
    /// A reference line (drawn thin and grey, e.g. the resyn2 baseline) rather than a result.
    pub reference: bool,
}

impl Series {
    /// A result series.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Series {
        Series { name: name.into(), points, reference: false }
    }

    /// The same points drawn as a staircase (a best-so-far curve holds its value until the next
    /// improvement).
    pub fn steps(mut self) -> Series {
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(self.points.len() * 2);
        for &(x, y) in &self.points {
            if let Some(&(_, prev)) = out.last()
                && prev != y
            {
                out.push((x, prev));
            }
            out.push((x, y));
        }
        self.points = out;
        self
    }
}

/// Tick-label text of a value, with as many decimals as the axis span needs.
fn tick(v: f64, span: f64) -> String {
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else if span >= 0.2 {
        2
    } else {
        3
    };
    let t = format!("{v:.decimals$}");
    // No "-0".
    if t.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        t.trim_start_matches('-').to_string()
    } else {
        t
    }
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded font always parses; a failure would only lose text, so it is ignored.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

fn err(file: &Path, e: impl std::fmt::Display) -> PlotError {
    PlotError { file: file.to_path_buf(), message: e.to_string() }
}

fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

/// Draws the same chart on an SVG and a PNG backend.
fn both(
    stem: &Path,
    size: (u32, u32),
    draw_svg: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
    draw_png: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> Result<(PathBuf, PathBuf), PlotError> {
    register_fonts();
    let svg = stem.with_extension("svg");
    let png = stem.with_extension("png");
    if let Some(dir) = stem.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    }
    {
        let area = SVGBackend::new(&svg, size).into_drawing_area();
        draw_svg(&area).map_err(|e| err(&svg, e))?;
        area.present().map_err(|e| err(&svg, e))?;
    }
    {
        let area = BitMapBackend::new(&png, size).into_drawing_area();
        draw_png(&area).map_err(|e| err(&png, e))?;
        area.present().map_err(|e| err(&png, e))?;
    }
    Ok((svg, png))
}

fn line_chart_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<(), String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let (x0, x1) = padded_range(series.iter().flat_map(|s| s.points.iter().map(|p| p.0)));
    let (y0, y1) = padded_range(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| e.to_string())?;
    let (mut xs, ys) = (x1 - x0, y1 - y0);
    if xs >= 5.0 && series.iter().all(|s| s.points.iter().all(|p| p.0.fract() == 0.0)) {
        xs = xs.max(20.0); // integer data (e.g. evaluations): integer ticks
    }
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|v| tick(*v, xs))
        .y_label_formatter(&|v| tick(*v, ys))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    let mut k = 0;
    for s in series {
        let (c, width) = if s.reference {
            (RGBColor(90, 90, 90), 1)
        } else {
            k += 1;
            (color(k - 1), 2)
        };
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(width)))
            .map_err(|e| e.to_string())?
            .label(s.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(width + 1)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A line chart of several series (e.g. best-so-far ADP reduction against evaluations).
pub fn line_chart(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<(PathBuf, PathBuf), PlotError> {
    both(
        stem,
        (960, 600),
        |a| line_chart_on(a, title, x_label, y_label, series),
        |a| line_chart_on(a, title, x_label, y_label, series),
    )
}

fn bars_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    y_label: &str,
    groups: &[String],
    series: &[(String, Vec<f64>)],
) -> Result<(), String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let (mut y0, mut y1) = padded_range(series.iter().flat_map(|s| s.1.iter().copied()).chain([0.0]));
    y0 = y0.min(0.0);
    y1 = y1.max(0.0);
    // Head room for the legend, so that it never covers a bar.
    y1 += (y1 - y0) * (0.06 * series.len() as f64 + 0.04);
    let n = groups.len().max(1);
    let longest = groups.iter().map(|g| g.chars().count()).max().unwrap_or(0) as u32;
    let label_area = if groups.len() > 12 { 20 + 8 * longest } else { 40 };
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(label_area)
        .y_label_area_size(72)
        .build_cartesian_2d(0f64..n as f64, y0..y1)
        .map_err(|e| e.to_string())?;
    let ys = y1 - y0;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_label_formatter(&|v| tick(*v, ys))
        .y_desc(y_label)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 17))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    // Group labels under the axis, centred on each group (rotated when crowded).
    let rotate = groups.len() > 12;
    for (i, g) in groups.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, y0));
        let style = TextStyle::from(("sans-serif", 14).into_font()).color(&BLACK);
        let style = if rotate {
            style.transform(FontTransform::Rotate90).pos(Pos::new(HPos::Left, VPos::Center))
        } else {
            style.pos(Pos::new(HPos::Center, VPos::Top))
        };
        area.draw(&Text::new(g.clone(), (px, py + 8), style)).map_err(|e| e.to_string())?;
    }
    let k = series.len().max(1) as f64;
    let width = 0.8 / k;
    for (j, (name, values)) in series.iter().enumerate() {
        let c = color(j);
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                let x0 = i as f64 + 0.1 + j as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.9, v)], c.filled())
            }))
            .map_err(|e| e.to_string())?
            .label(name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
        // Values on the bars while they are few enough to read.
        let (left, _) = chart.backend_coord(&(0.0, y0));
        let (right, _) = chart.backend_coord(&(n as f64, y0));
        let bar_px = f64::from(right - left) / n as f64 * width * 0.9;
        if bar_px >= 28.0 {
            chart
                .draw_series(values.iter().enumerate().map(|(i, &v)| {
                    let x = i as f64 + 0.1 + (j as f64 + 0.45) * width;
                    let pos =
                        if v >= 0.0 { Pos::new(HPos::Center, VPos::Bottom) } else { Pos::new(HPos::Center, VPos::Top) };
                    let style = TextStyle::from(("sans-serif", 12).into_font()).color(&BLACK).pos(pos);
                    let dy = if v >= 0.0 { -2 } else { 2 };
                    EmptyElement::at((x, v)) + Text::new(tick(v, ys / 10.0), (0, dy), style)
                }))
                .map_err(|e| e.to_string())?;
        }
    }
    chart
        .draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (n as f64, 0.0)], BLACK.stroke_width(1))))
        .map_err(|e| e.to_string())?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Grouped bars: one group per label (e.g. design), one bar per series (e.g. method).
pub fn grouped_bars(
    stem: &Path,
    title: &str,
    y_label: &str,
    groups: &[String],
    series: &[(String, Vec<f64>)],
) -> Result<(PathBuf, PathBuf), PlotError> {
    let per_group = 36 * series.len().max(1) as u32 + 20;
    let width = (160 + per_group * groups.len() as u32).clamp(800, 2400);
    both(
        stem,
        (width, 600),
        |a| bars_on(a, title, y_label, groups, series),
        |a| bars_on(a, title, y_label, groups, series),
    )
}

#[allow(clippy::too_many_arguments)]
fn scatter_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(f64, f64, String)],
    curve: &[(f64, f64)],
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
) -> Result<(), String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    let (x0, x1) = x_range.unwrap_or_else(|| {
        let (lo, hi) = padded_range(points.iter().map(|p| p.0).chain(curve.iter().map(|p| p.0)));
        // Room on the right for the labels of the right-most points.
        (lo, hi + (hi - lo) * 0.08)
    });
    let (y0, y1) = y_range.unwrap_or_else(|| padded_range(points.iter().map(|p| p.1).chain(curve.iter().map(|p| p.1))));
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    if !curve.is_empty() {
        chart
            .draw_series(LineSeries::new(curve.iter().copied(), color(1).stroke_width(2)))
            .map_err(|e| e.to_string())?;
    }
    chart
        .draw_series(
            points.iter().map(|(x, y, _)| EmptyElement::at((*x, *y)) + Circle::new((0, 0), 5, color(0).filled())),
        )
        .map_err(|e| e.to_string())?;
    // Labels: beside their point, moved up or down in steps of a text line while they would
    // overlap an earlier label (points of similar δ and α cluster), with a leader line then.
    let pixels: Vec<(i32, i32)> = points.iter().map(|p| chart.backend_coord(&(p.0, p.1))).collect();
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|&i| (pixels[i].0, pixels[i].1));
    for (i, rect) in label_boxes(&pixels, &order, points) {
        let (px, py) = pixels[i];
        let (lx, ly) = (rect.0, rect.1);
        if (ly - (py - LABEL_H - 2)).abs() > 1 {
            area.draw(&PathElement::new(vec![(px, py), (lx, ly + LABEL_H / 2)], RGBColor(150, 150, 150)))
                .map_err(|e| e.to_string())?;
        }
        area.draw(&Text::new(points[i].2.clone(), (lx, ly), ("sans-serif", 13))).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Height of a scatter label (pixels).
const LABEL_H: i32 = 14;

/// Top-left corners and widths of non-overlapping label boxes, in `order`: each label starts just
/// above-right of its point and is moved by whole lines (alternately up and down) until it no
/// longer overlaps an earlier one.
fn label_boxes(pixels: &[(i32, i32)], order: &[usize], points: &[(f64, f64, String)]) -> Vec<(usize, (i32, i32, i32))> {
    let mut placed: Vec<(i32, i32, i32)> = Vec::new();
    let mut out = Vec::new();
    for &i in order {
        let (px, py) = pixels[i];
        let w = (points[i].2.chars().count() as i32) * 8 + 2;
        let x = px + 7;
        let base = py - LABEL_H - 2;
        let overlaps = |y: i32, placed: &[(i32, i32, i32)]| {
            placed.iter().any(|&(bx, by, bw)| x < bx + bw && bx < x + w && y < by + LABEL_H && by < y + LABEL_H)
        };
        let mut y = base;
        for step in 0..40 {
            let k = (step + 1) / 2;
            y = if step % 2 == 1 { base - k * LABEL_H } else { base + k * LABEL_H };
            if !overlaps(y, &placed) {
                break;
            }
        }
        placed.push((x, y, w));
        out.push((i, (x, y, w)));
    }
    out
}

/// Labelled points, with an optional reference curve (e.g. α against δ with the schedule), on
/// fixed axis ranges where given (else fitted to the data).
#[allow(clippy::too_many_arguments)]
pub fn scatter(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(f64, f64, String)],
    curve: &[(f64, f64)],
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
) -> Result<(PathBuf, PathBuf), PlotError> {
    both(
        stem,
        (960, 640),
        |a| scatter_on(a, title, x_label, y_label, points, curve, x_range, y_range),
        |a| scatter_on(a, title, x_label, y_label, points, curve, x_range, y_range),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_svg_and_png() {
        let dir = std::env::temp_dir().join(format!("abcrl-plot-{}", std::process::id()));
        let s = vec![
            Series::new("mcts", (0..50).map(|i| (i as f64, (i as f64).sqrt())).collect()).steps(),
            Series::new("random", (0..50).map(|i| (i as f64, (i as f64).ln_1p())).collect()),
        ];
        let (svg, png) =
            line_chart(&dir.join("curve"), "Best ADP reduction", "evaluations", "ADP reduction (%)", &s).unwrap();
        assert!(std::fs::metadata(&png).unwrap().len() > 1000);
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains("<svg") && text.contains("mcts"));
        let groups = vec!["alu4".to_string(), "apex1".to_string()];
        grouped_bars(
            &dir.join("bars"),
            "per design",
            "%",
            &groups,
            &[("a".into(), vec![1.0, -2.0]), ("b".into(), vec![3.0, 4.0])],
        )
        .unwrap();
        scatter(
            &dir.join("alpha"),
            "alpha",
            "delta",
            "alpha",
            &[(0.1, 0.5, "x".into())],
            &[(0.0, 1.0), (0.2, 0.0)],
            None,
            None,
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
