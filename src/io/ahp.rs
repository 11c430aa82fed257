//! The analytic hierarchy process: driver weights from pairwise comparisons (Saaty).
//!
//! The reciprocal matrix is filled from the pairs (`a[j][i] = 1 / a[i][j]`), the weights are
//! its principal eigenvector (power iteration, normalised to sum 1), and consistency is
//! measured by CR = CI / RI with CI = (λmax − n) / (n − 1).

/// Saaty's random consistency index for n = 1..=10 (index n − 1).
const RANDOM_INDEX: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// Weights and consistency of a pairwise comparison matrix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ahp {
    /// Principal eigenvector, normalised to sum 1.
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    /// Consistency ratio; 0 for n ≤ 2 (always consistent).
    pub consistency_ratio: f64,
    /// The comparison furthest from what the weights imply: (i, j, given a[i][j], implied
    /// w_i / w_j), i < j; `None` for fewer than 2 drivers.
    pub worst: Option<(usize, usize, f64, f64)>,
}

/// Compute the AHP weights of the `n × n` reciprocal matrix `matrix` (row-major, positive).
pub(crate) fn ahp(matrix: &[Vec<f64>]) -> Ahp {
    let n = matrix.len();
    if n == 0 {
        return Ahp {
            weights: Vec::new(),
            lambda_max: 0.0,
            consistency_ratio: 0.0,
            worst: None,
        };
    }
    let mut v = vec![1.0 / n as f64; n];
    // A positive matrix has a unique positive principal eigenvector (Perron); power iteration
    // converges to it geometrically, fast for the small matrices of a PMO.
    for _ in 0..10_000 {
        let next = normalise(&multiply(matrix, &v));
        let change = next
            .iter()
            .zip(&v)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        v = next;
        if change < 1e-15 {
            break;
        }
    }
    let av = multiply(matrix, &v);
    let lambda_max = av.iter().zip(&v).map(|(a, b)| a / b).sum::<f64>() / n as f64;
    let consistency_ratio = if n <= 2 {
        0.0
    } else {
        // Beyond Saaty's table the index levels off; the last entry is a fair stand-in.
        let ri = RANDOM_INDEX
            .get(n - 1)
            .copied()
            .unwrap_or(RANDOM_INDEX[RANDOM_INDEX.len() - 1]);
        let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
        (ci / ri).max(0.0)
    };
    let worst = most_inconsistent(matrix, &v);
    Ahp {
        weights: v,
        lambda_max,
        consistency_ratio,
        worst,
    }
}

/// The pair whose given ratio is furthest, as a factor either way, from the ratio of their
/// weights: the comparison to revisit first. Ties go to the first pair in row order.
fn most_inconsistent(matrix: &[Vec<f64>], w: &[f64]) -> Option<(usize, usize, f64, f64)> {
    let mut worst: Option<(f64, (usize, usize, f64, f64))> = None;
    for i in 0..matrix.len() {
        for j in i + 1..matrix.len() {
            let implied = w[i] / w[j];
            let off = (matrix[i][j] / implied).ln().abs();
            if worst.is_none_or(|(d, _)| off > d + 1e-12) {
                worst = Some((off, (i, j, matrix[i][j], implied)));
            }
        }
    }
    worst.map(|(_, pair)| pair)
}

fn multiply(matrix: &[Vec<f64>], v: &[f64]) -> Vec<f64> {
    matrix
        .iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
        .collect()
}

fn normalise(v: &[f64]) -> Vec<f64> {
    let sum: f64 = v.iter().sum();
    v.iter().map(|x| x / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn saaty_three_by_three() {
        // A classic textbook example: weights ≈ (0.637, 0.258, 0.105), λmax ≈ 3.0385,
        // CI ≈ 0.0193, CR ≈ 0.033.
        let m = vec![
            vec![1.0, 3.0, 5.0],
            vec![1.0 / 3.0, 1.0, 3.0],
            vec![1.0 / 5.0, 1.0 / 3.0, 1.0],
        ];
        let r = ahp(&m);
        assert!(close(r.weights[0], 0.6370, 1e-3), "{:?}", r.weights);
        assert!(close(r.weights[1], 0.2583, 1e-3), "{:?}", r.weights);
        assert!(close(r.weights[2], 0.1047, 1e-3), "{:?}", r.weights);
        assert!(close(r.weights.iter().sum::<f64>(), 1.0, 1e-12));
        assert!(close(r.lambda_max, 3.0385, 1e-3), "{}", r.lambda_max);
        assert!(
            close(r.consistency_ratio, 0.0332, 1e-3),
            "{}",
            r.consistency_ratio
        );
    }

    #[test]
    fn consistent_matrix_has_zero_cr() {
        // w = (4, 2, 1)/7: a[i][j] = w_i / w_j exactly.
        let w = [4.0, 2.0, 1.0];
        let m: Vec<Vec<f64>> = w
            .iter()
            .map(|a| w.iter().map(|b| a / b).collect())
            .collect();
        let r = ahp(&m);
        assert!(close(r.weights[0], 4.0 / 7.0, 1e-12));
        assert!(close(r.lambda_max, 3.0, 1e-9));
        assert!(close(r.consistency_ratio, 0.0, 1e-9));
    }

    #[test]
    fn two_drivers() {
        let m = vec![vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]];
        let r = ahp(&m);
        assert!(close(r.weights[0], 0.75, 1e-12));
        assert_eq!(r.consistency_ratio, 0.0);
    }

    #[test]
    fn inconsistent_matrix_has_high_cr() {
        // a > b (9), b > c (9), but c > a (9): circular preferences.
        let m = vec![
            vec![1.0, 9.0, 1.0 / 9.0],
            vec![1.0 / 9.0, 1.0, 9.0],
            vec![9.0, 1.0 / 9.0, 1.0],
        ];
        let r = ahp(&m);
        assert!(r.consistency_ratio > 0.10);
    }

    #[test]
    fn the_worst_comparison_is_the_one_against_the_others() {
        // Consistent with weights 8:4:2:1, except that the first-vs-last comparison is
        // written the wrong way round (1/8 instead of 8).
        let w = [8.0, 4.0, 2.0, 1.0];
        let mut m: Vec<Vec<f64>> = w
            .iter()
            .map(|a| w.iter().map(|b| a / b).collect())
            .collect();
        m[0][3] = 1.0 / 8.0;
        m[3][0] = 8.0;
        let r = ahp(&m);
        assert!(r.consistency_ratio > 0.10);
        let (i, j, given, implied) = r.worst.unwrap();
        assert_eq!((i, j, given), (0, 3, 0.125));
        assert!(implied / given > 4.0, "{implied}");
    }
}
