#!/usr/bin/python3
"""Reference values from scikit-learn for oddity's density and isolation scorers.

Run with Debian's python3-sklearn (/usr/bin/python3 make_reference.py, from this directory);
the Java tests read the files it writes and never need Python. Writes, per dataset NAME:

  NAME.csv           the features, float32 values, one event a line: the first TRAIN rows
                     train, the rest are held out
  NAME-expected.csv  key,value lines: the mean log-likelihood per held-out event of
                     GaussianMixture (random_state 0, and the median over FITS random states), KernelDensity and EmpiricalCovariance, the KDE bandwidth, and
                     the exact KDE mean log-likelihood (a direct log-sum-exp over every kernel)
  NAME-iforest.csv   -IsolationForest.score_samples of each held-out event (larger = more anomalous,
                     as oddity's s(x)), averaged over FORESTS random states

KernelDensity evaluates the sum on a KD-tree whose node bounds are not exact in many dimensions
(scikit-learn issues 7492 and 27186): on the 57-feature set its mean log-likelihood moves by several
nats with the tree type, so the exact sum is written beside it.

EM finds a local optimum that depends on the k-means seeding: GaussianMixture's held-out mean
log-likelihood moves by up to 10% between random states (a few of them find a much better optimum),
so the median over FITS of them is written too, for a comparison that seeds cannot decide.

One forest of 100 trees is noisy: two IsolationForests with different random states rank the
held-out events with a Spearman correlation of only about 0.95 (8 features) and 0.92 (57), written as
iforest.seedToSeedSpearman. The mean over FORESTS random states estimates the expected score, which
an implementation of the same algorithm must rank alike.
"""
import numpy as np
import sklearn
from scipy.special import logsumexp
from scipy.stats import spearmanr
from sklearn.covariance import EmpiricalCovariance
from sklearn.ensemble import IsolationForest
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KernelDensity

TRAIN = 1500
HELD_OUT = 500
COMPONENTS = 4
TREES = 100
SUBSAMPLE = 256
FORESTS = 10
FITS = 20
# oddity's KdeTrainer grid: GRID_BANDWIDTHS log-spaced multiples of Silverman's rule in [0.05, 5].
GRID_BANDWIDTHS = 20
GRID_LOW, GRID_HIGH = 0.05, 5.0


def heavy_tailed(d, seed):
    """Three correlated clusters with Student-t (3 degrees of freedom) noise, as float32."""
    rng = np.random.default_rng(seed)
    n = TRAIN + HELD_OUT
    centres = rng.normal(0.0, 3.0, size=(3, d))
    mixing = rng.normal(0.0, 1.0, size=(3, d, d)) / np.sqrt(d)
    cluster = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    noise = rng.standard_t(3, size=(n, d))
    x = centres[cluster] + np.einsum('nij,nj->ni', mixing[cluster], noise) + 0.3 * rng.normal(size=(n, d))
    return x.astype(np.float32).astype(np.float64)


def oddity_kde_bandwidth(train):
    """oddity's KdeTrainer: leave-one-out likelihood over a grid around Silverman's rule, on
    features standardized by the sample standard deviation (ddof 1), all rows as reference."""
    m, k = train.shape
    z = (train - train.mean(axis=0)) / train.std(axis=0, ddof=1)
    sq = ((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(sq, np.inf)
    silverman = (4.0 / ((k + 2.0) * m)) ** (1.0 / (k + 4.0))
    best, best_h = -np.inf, None
    for g in range(GRID_BANDWIDTHS):
        h = silverman * GRID_LOW * (GRID_HIGH / GRID_LOW) ** (g / (GRID_BANDWIDTHS - 1.0))
        a = -sq / (2 * h * h)
        shift = a.max(axis=1, keepdims=True)
        loo = (np.log(np.exp(a - shift).sum(axis=1)) + shift[:, 0]).sum() \
            - m * (np.log(m - 1.0) + k * np.log(h) + 0.5 * k * np.log(2 * np.pi))
        if loo > best:
            best, best_h = loo, h
    return best_h


def reference(name, d, seed):
    x = heavy_tailed(d, seed)
    train, held_out = x[:TRAIN], x[TRAIN:]
    np.savetxt(name + '.csv', x, fmt='%.9g', delimiter=',')

    gmm = [GaussianMixture(n_components=COMPONENTS, covariance_type='full', reg_covar=1e-6, tol=1e-3,
                           n_init=1, random_state=r).fit(train).score(held_out) for r in range(FITS)]
    h = oddity_kde_bandwidth(train)
    sigma = train.std(axis=0, ddof=1)
    kde = KernelDensity(kernel='gaussian', bandwidth=h).fit(train / sigma)
    # Density of x is the density of x / sigma divided by prod sigma.
    kde_mean = kde.score_samples(held_out / sigma).mean() - np.log(sigma).sum()
    z, q = train / sigma, held_out / sigma
    squared = ((q[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)
    kde_exact = (logsumexp(-squared / (2 * h * h), axis=1) - np.log(TRAIN) - d * np.log(h)
                 - 0.5 * d * np.log(2 * np.pi)).mean() - np.log(sigma).sum()
    forests = [-IsolationForest(n_estimators=TREES, max_samples=SUBSAMPLE, random_state=r).fit(train)
               .score_samples(held_out) for r in range(FORESTS)]
    gaussian = EmpiricalCovariance().fit(train)
    with open(name + '-expected.csv', 'w') as out:
        out.write('sklearn,%s\n' % sklearn.__version__)
        out.write('train,%d\n' % TRAIN)
        out.write('gmm.components,%d\n' % COMPONENTS)
        out.write('gmm.meanLogLikelihood,%.17g\n' % gmm[0])
        out.write('gmm.fits,%d\n' % FITS)
        out.write('gmm.medianOverFits,%.17g\n' % np.median(gmm))
        out.write('gmm.minOverFits,%.17g\n' % np.min(gmm))
        out.write('gmm.maxOverFits,%.17g\n' % np.max(gmm))
        out.write('kde.bandwidth,%.17g\n' % h)
        out.write('kde.meanLogLikelihood,%.17g\n' % kde_mean)
        out.write('kde.exactMeanLogLikelihood,%.17g\n' % kde_exact)
        out.write('mahalanobis.meanLogLikelihood,%.17g\n' % gaussian.score(held_out))
        out.write('iforest.trees,%d\n' % TREES)
        out.write('iforest.subsample,%d\n' % SUBSAMPLE)
        out.write('iforest.forests,%d\n' % FORESTS)
        out.write('iforest.seedToSeedSpearman,%.17g\n' % spearmanr(forests[0], forests[1])[0])
    np.savetxt(name + '-iforest.csv', np.mean(forests, axis=0), fmt='%.17g')


if __name__ == '__main__':
    reference('heavy8', 8, 15)
    reference('heavy57', 57, 57)
