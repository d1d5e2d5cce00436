#!/usr/bin/env python3
"""Parity fixtures for @argmin/diffusion (src/parity.test.ts).

An independent numpy (float64) transcription of the reference samplers, written from reading:

- huggingface/diffusers src/diffusers/schedulers/
    scheduling_ddim.py           DDIMScheduler.set_timesteps / step / _get_variance / _threshold_sample
    scheduling_ddpm.py           DDPMScheduler.step (previous_timestep from the list, PR #9384), _get_variance
    scheduling_pndm.py           PNDMScheduler.set_timesteps / step_prk / step_plms / _get_prev_sample
    scheduling_dpmsolver_multistep.py  set_timesteps (spacings, Karras, final_sigmas_type), convert_model_output,
                                 dpm_solver_first_order_update, multistep_dpm_solver_{second,third}_order_update, step
    scheduling_lcm.py            LCMScheduler.set_timesteps / get_scalings_for_boundary_condition_discrete / step
    scheduling_utils / scheduling_ddpm.py  betas_for_alpha_bar (cosine), rescale_zero_terminal_snr
- LuChengTHU/dpm-solver dpm_solver_pytorch.py
    NoiseScheduleVP ('discrete' from alphas_cumprod incl. numerical_clip_alpha, 'linear'; the older 'cosine'
    variant with T = 0.9946), interpolate_fn, model_wrapper (model input time (t - 1/N)*1000), DPM_Solver
    .get_time_steps, get_orders_and_timesteps_for_singlestep_solver, dpm_solver_first_update,
    singlestep_dpm_solver_{second,third}_update, multistep_dpm_solver_{second,third}_update, sample()
    (multistep and singlestep loops), dynamic_thresholding_fn.
- luping-liu/PNDM runner/method.py  gen_order_2 (S-PNDM), improved_eular, gen_order_4 (F-PNDM), runge_kutta,
    transfer, on its grid seq = range(0, 1000, 1000//S) (= our 'leading' spacing).

Deliberate differences from the references (so that the TS port can be compared to 1e-12):
- Everything is float64. diffusers keeps betas/alphas_cumprod in torch.float32 and casts the DPM-Solver sigmas
  to float32; dpm_solver_pytorch.py uses torch.linspace (same values to a few ulp). We use numpy float64 throughout.
- DDIM: diffusers computes prev_timestep = t - N_train // N for every spacing (wrong for 'linspace', trailing and
  custom lists: diffusers #12633, #11347). We AVOID that bug: the previous timestep is the next entry of the
  timestep list (or -1 after the last one), exactly as our TS does and DDPMScheduler does since PR #9384.
- S-PNDM / F-PNDM: the reference reads alphas_cump[t + 1] (its alphas_cump has no leading 1, so the model is called at t
  but alpha-bar is read at t + 1). run_spndm_reference / run_fpndm_reference transcribe it with OUR default
  convention (diffusers'): alpha-bar at t, and final_alpha_cumprod = alpha-bar_0 (set_alpha_to_one = False) for the
  target t = -1. run_pndm_reference_indexing transcribes the reference as written (alphas_cump[t.long() + 1]), the
  fixture of alphaIndexing: 'reference'. The reference keeps alphas_cump in float32; the transcription uses float64.
- dpm_solver_pytorch.py: NoiseScheduleVP('discrete') is built from alphas_cumprod (log_alphas = 0.5*log(ac)),
  one of its two documented entry points (the other, betas, sums logs and differs in the last ulps).
- dpm_solver_pytorch.py applies correcting_x0_fn (dynamic thresholding) only to data predictions, so with
  algorithm_type="dpmsolver" it silently ignores thresholding; our TS thresholds the noise-prediction path too (as
  diffusers' convert_model_output does). That combination has no reference behaviour and is not a fixture case.
- SDE variants (sde-dpmsolver++/sde-dpmsolver, diffusers only) draw randn_tensor in every step() call, even when the
  noise coefficient is zero; so does our TS, so the streams stay aligned.
- Stochastic samplers (DDIM eta > 0, DDPM, LCM): the noise is numpy.random.RandomState(seed).standard_normal drawn
  in the sampler's order; our TS Rng (createRng(seed).fillNormal) reproduces that stream to 2 ulp.

The fake model is the same formula in TS: out(x, t) = tanh(0.8x + 0.3)(0.5 + t/2000) + 0.1 sin(3x), elementwise,
read as epsilon, sample (x0) or v depending on the case; t is the model time the sampler passes.

Run: python3 packages/diffusion/scripts/generate_fixtures.py  (writes packages/diffusion/src/__fixtures__/*.json)
"""

import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "__fixtures__")
B, D = 3, 4
X_T = np.random.RandomState(20261128).standard_normal((B, D))
NOISE_SEED = 7
# The adaptive solver's step-size controller h <- theta*h*E^(-1/k) reads E = RMS((x_high - x_low)/delta), a difference
# of two nearly equal iterates (E ~ 5e-5 on the first attempt): rounding differences of 1 ulp in x_high, x_low become
# ~1e-10 relative in E and ~1e-11 in the following grid. This is conditioning, not a formula difference (the
# reference even rounds E^(-1/k) to float32), so adaptive trajectories are compared to 1e-9 instead of 1e-12.
ADAPTIVE_TOLERANCE = 1e-9


def fake_model(x, t):
    return np.tanh(0.8 * x + 0.3) * (0.5 + t / 2000.0) + 0.1 * np.sin(3.0 * x)


def arr(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


# ----------------------------------------------------------------------------------------------- schedules
def betas_for_alpha_bar(n, max_beta=0.999):
    def alpha_bar_fn(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = []
    for i in range(n):
        t1 = i / n
        t2 = (i + 1) / n
        betas.append(min(1 - alpha_bar_fn(t2) / alpha_bar_fn(t1), max_beta))
    return np.array(betas, dtype=np.float64)


def rescale_zero_terminal_snr(betas):
    alphas = 1.0 - betas
    alphas_cumprod = np.cumprod(alphas)
    alphas_bar_sqrt = np.sqrt(alphas_cumprod)
    s0 = alphas_bar_sqrt[0]
    sT = alphas_bar_sqrt[-1]
    alphas_bar_sqrt = alphas_bar_sqrt - sT
    alphas_bar_sqrt = alphas_bar_sqrt * (s0 / (s0 - sT))
    alphas_bar = alphas_bar_sqrt**2
    alphas = alphas_bar[1:] / alphas_bar[:-1]
    alphas = np.concatenate([alphas_bar[0:1], alphas])
    return 1 - alphas


def make_schedule(beta_schedule="linear", beta_start=1e-4, beta_end=0.02, rescale=False, n=1000):
    """diffusers scheduler __init__: betas, alphas_cumprod (with alpha-bar_T = 2^-24 under zero-SNR rescale)."""
    if beta_schedule == "linear":
        betas = np.linspace(beta_start, beta_end, n)
    elif beta_schedule == "scaled_linear":
        betas = np.linspace(beta_start**0.5, beta_end**0.5, n) ** 2
    elif beta_schedule == "squaredcos_cap_v2":
        betas = betas_for_alpha_bar(n)
    else:
        raise ValueError(beta_schedule)
    if rescale:
        betas = rescale_zero_terminal_snr(betas)
    alphas_cumprod = np.cumprod(1.0 - betas)
    if rescale:
        alphas_cumprod[-1] = 2.0**-24
    return betas, alphas_cumprod


SCHEDULES = {
    "linear": dict(betaSchedule="linear"),
    "scaled_linear": dict(betaSchedule="scaled_linear", betaStart=0.00085, betaEnd=0.012),
}


def schedule_from(opts):
    return make_schedule(
        opts.get("betaSchedule", "linear"),
        opts.get("betaStart", 1e-4),
        opts.get("betaEnd", 0.02),
        opts.get("rescaleBetasZeroSnr", False),
    )


# --------------------------------------------------------------------------------------- timestep lists
def ddim_timesteps(n_train, n, spacing="leading", steps_offset=0):
    """DDIMScheduler.set_timesteps (DDPMScheduler uses the same rules)."""
    if spacing == "linspace":
        ts = np.linspace(0, n_train - 1, n).round()[::-1].copy().astype(np.int64)
    elif spacing == "leading":
        step_ratio = n_train // n
        ts = (np.arange(0, n) * step_ratio).round()[::-1].copy().astype(np.int64)
        ts += steps_offset
    elif spacing == "trailing":
        step_ratio = n_train / n
        ts = np.round(np.arange(n_train, 0, -step_ratio)).astype(np.int64)
        ts -= 1
    else:
        raise ValueError(spacing)
    return [int(t) for t in ts]


def lambda_t_of(alphas_cumprod):
    alpha_t = np.sqrt(alphas_cumprod)
    sigma_t = np.sqrt(1 - alphas_cumprod)
    return np.log(alpha_t) - np.log(sigma_t)


def dpm_ms_timesteps(alphas_cumprod, n, spacing="linspace", steps_offset=0, lambda_min_clipped=-np.inf):
    """DPMSolverMultistepScheduler.set_timesteps, the timestep part."""
    n_train = len(alphas_cumprod)
    clipped_idx = int(np.searchsorted(np.flip(lambda_t_of(alphas_cumprod)), lambda_min_clipped))
    last_timestep = n_train - clipped_idx
    if spacing == "linspace":
        ts = np.linspace(0, last_timestep - 1, n + 1).round()[::-1][:-1].copy().astype(np.int64)
    elif spacing == "leading":
        step_ratio = last_timestep // (n + 1)
        ts = (np.arange(0, n + 1) * step_ratio).round()[::-1][:-1].copy().astype(np.int64)
        ts += steps_offset
    elif spacing == "trailing":
        step_ratio = n_train / n
        ts = np.arange(last_timestep, 0, -step_ratio).round().copy().astype(np.int64)
        ts -= 1
    else:
        raise ValueError(spacing)
    return ts


def pndm_set_timesteps(n_train, n, skip_prk, spacing="leading", steps_offset=0):
    """PNDMScheduler.set_timesteps."""
    if spacing == "linspace":
        base = np.linspace(0, n_train - 1, n).round().astype(np.int64)
    elif spacing == "leading":
        step_ratio = n_train // n
        base = (np.arange(0, n) * step_ratio).round().astype(np.int64)
        base += steps_offset
    elif spacing == "trailing":
        step_ratio = n_train / n
        base = np.round(np.arange(n_train, 0, -step_ratio))[::-1].astype(np.int64)
        base -= 1
    else:
        raise ValueError(spacing)
    pndm_order = 4
    if skip_prk:
        prk = np.array([], dtype=np.int64)
        plms = np.concatenate([base[:-1], base[-2:-1], base[-1:]])[::-1].copy()
    else:
        prk = np.array(base[-pndm_order:]).repeat(2) + np.tile(np.array([0, n_train // n // 2]), pndm_order)
        prk = (prk[:-1].repeat(2)[1:-1])[::-1].copy()
        plms = base[:-3][::-1].copy()
    return [int(t) for t in prk], [int(t) for t in plms]


def lcm_timesteps(n_train, n, original_steps=50, strength=1.0):
    """LCMScheduler.set_timesteps (floor(linspace(..., endpoint=False)) rule)."""
    k = n_train // original_steps
    origin = np.asarray(list(range(1, int(original_steps * strength) + 1))) * k - 1
    origin = origin[::-1].copy()
    idx = np.floor(np.linspace(0, len(origin), num=n, endpoint=False)).astype(np.int64)
    return [int(t) for t in origin[idx]]


def convert_to_karras(in_sigmas, n):
    sigma_min = float(in_sigmas[-1])
    sigma_max = float(in_sigmas[0])
    rho = 7.0
    ramp = np.linspace(0, 1, n)
    min_inv_rho = sigma_min ** (1 / rho)
    max_inv_rho = sigma_max ** (1 / rho)
    return (max_inv_rho + ramp * (min_inv_rho - max_inv_rho)) ** rho


def sigma_to_t(sigma, log_sigmas):
    log_sigma = np.log(np.maximum(sigma, 1e-10))
    dists = log_sigma - log_sigmas[:, np.newaxis]
    low_idx = np.cumsum((dists >= 0), axis=0).argmax(axis=0).clip(max=log_sigmas.shape[0] - 2)
    high_idx = low_idx + 1
    low = log_sigmas[low_idx]
    high = log_sigmas[high_idx]
    w = (low - log_sigma) / (low - high)
    w = np.clip(w, 0, 1)
    t = (1 - w) * low_idx + w * high_idx
    return t.reshape(np.shape(sigma))


def dpm_ms_set_timesteps(alphas_cumprod, cfg):
    """DPMSolverMultistepScheduler.set_timesteps: (timesteps, sigmas incl. the final sigma)."""
    ts = dpm_ms_timesteps(alphas_cumprod, cfg["numInferenceSteps"], cfg.get("timestepSpacing", "linspace"),
                          cfg.get("stepsOffset", 0), cfg.get("lambdaMinClipped", -np.inf))
    sigmas = np.array(((1 - alphas_cumprod) / alphas_cumprod) ** 0.5)
    log_sigmas = np.log(sigmas)
    if cfg.get("useKarrasSigmas", False):
        sig = np.flip(sigmas).copy()
        sig = convert_to_karras(sig, cfg["numInferenceSteps"])
        ts = np.array([sigma_to_t(s, log_sigmas) for s in sig]).round().astype(np.int64)
    elif cfg.get("useLuLambdas", False):  # _convert_to_lu on flipped log sigmas (rho = 1), sigmas = exp(...)
        lambdas = np.flip(log_sigmas.copy())
        lambda_min, lambda_max = float(lambdas[-1]), float(lambdas[0])
        ramp = np.linspace(0, 1, cfg["numInferenceSteps"])
        lambdas = (lambda_max ** (1 / 1.0) + ramp * (lambda_min ** (1 / 1.0) - lambda_max ** (1 / 1.0))) ** 1.0
        sig = np.exp(lambdas)
        ts = np.array([sigma_to_t(s, log_sigmas) for s in sig]).round().astype(np.int64)
    else:
        sig = np.interp(ts, np.arange(0, len(sigmas)), sigmas)
    if cfg.get("finalSigmasType", "zero") == "sigma_min":
        last = ((1 - alphas_cumprod[0]) / alphas_cumprod[0]) ** 0.5
    else:
        last = 0.0
    return [int(t) for t in ts], np.concatenate([sig, [last]])  # float32 cast omitted (float64 parity)


# ------------------------------------------------------------------------------------- x0 corrections
def threshold_sample(sample, ratio, max_value):
    """diffusers _threshold_sample: s = quantile(|x|, ratio) per sample, clamped to [1, sample_max_value]."""
    s = np.quantile(np.abs(sample), ratio, axis=1)
    s = np.clip(s, 1, max_value)[:, None]
    return np.clip(sample, -s, s) / s


def correct_x0(x0, cfg):
    if cfg.get("thresholding", False):
        return threshold_sample(x0, cfg.get("dynamicThresholdingRatio", 0.995), cfg.get("sampleMaxValue", 1.0))
    if cfg.get("clipSample", True):
        r = cfg.get("clipSampleRange", 1.0)
        return np.clip(x0, -r, r)
    return x0


def x0_eps(model_output, sample, a_t, prediction):
    b_t = 1 - a_t
    if prediction == "epsilon":
        return (sample - b_t**0.5 * model_output) / a_t**0.5, model_output
    if prediction == "sample":
        return model_output, (sample - a_t**0.5 * model_output) / b_t**0.5
    if prediction == "v":
        return a_t**0.5 * sample - b_t**0.5 * model_output, a_t**0.5 * model_output + b_t**0.5 * sample
    raise ValueError(prediction)


# ---------------------------------------------------------------------------------------- DDIM / DDPM
def run_ddim(ac, cfg, prediction, rng, diffusers_prev_bug=False):
    if "timesteps" in cfg:
        ts = list(cfg["timesteps"])
    else:
        ts = ddim_timesteps(1000, cfg["numInferenceSteps"], cfg.get("timestepSpacing", "leading"), cfg.get("stepsOffset", 0))
    final = 1.0 if cfg.get("setAlphaToOne", True) else ac[0]
    eta = cfg.get("eta", 0.0)
    x = X_T.copy()
    traj = []
    for i, t in enumerate(ts):
        # BUG AVOIDED: diffusers uses prev_timestep = t - N_train // N; we take the next entry of the list
        prev_t = ts[i + 1] if i + 1 < len(ts) else -1
        if diffusers_prev_bug:  # what diffusers DDIMScheduler.step does (only for the known-bug check)
            prev_t = t - 1000 // len(ts)
        a_t = ac[t]
        a_prev = ac[prev_t] if prev_t >= 0 else final
        b_t = 1 - a_t
        x0, eps = x0_eps(fake_model(x, t), x, a_t, prediction)
        x0 = correct_x0(x0, cfg)
        variance = ((1 - a_prev) / b_t) * (1 - a_t / a_prev)  # _get_variance
        std = eta * variance**0.5
        if cfg.get("useClippedModelOutput", False):
            eps = (x - a_t**0.5 * x0) / b_t**0.5
        direction = (1 - a_prev - std**2) ** 0.5 * eps
        x = a_prev**0.5 * x0 + direction
        if eta > 0:
            x = x + std * rng.standard_normal((B, D))
        traj.append(x.copy())
    return ts, traj


def run_ddpm(ac, cfg, prediction, rng):
    ts = ddim_timesteps(1000, cfg["numInferenceSteps"], cfg.get("timestepSpacing", "leading"), cfg.get("stepsOffset", 0))
    x = X_T.copy()
    traj = []
    for i, t in enumerate(ts):
        prev_t = ts[i + 1] if i + 1 < len(ts) else -1  # DDPMScheduler.previous_timestep (list lookup)
        a_t = ac[t]
        a_prev = ac[prev_t] if prev_t >= 0 else 1.0  # self.one
        b_t = 1 - a_t
        b_prev = 1 - a_prev
        cur_alpha = a_t / a_prev
        cur_beta = 1 - cur_alpha
        x0, _ = x0_eps(fake_model(x, t), x, a_t, prediction)
        x0 = correct_x0(x0, cfg)
        c0 = (a_prev**0.5 * cur_beta) / b_t
        cs = cur_alpha**0.5 * b_prev / b_t
        mean = c0 * x0 + cs * x
        if t > 0:
            noise = rng.standard_normal((B, D))
            var = (1 - a_prev) / (1 - a_t) * cur_beta
            if cfg.get("varianceType", "fixed_small") == "fixed_small":
                var = max(var, 1e-20)
            else:
                var = cur_beta
            mean = mean + var**0.5 * noise
        x = mean
        traj.append(x.copy())
    return ts, traj


# ----------------------------------------------------------------------------------------------- PNDM
def run_pndm_diffusers(ac, cfg):
    """PNDMScheduler (epsilon prediction): the counter state machine of step_prk / step_plms."""
    n = cfg["numInferenceSteps"]
    skip_prk = cfg["method"] == "plms"
    final = 1.0 if cfg.get("setAlphaToOne", False) else ac[0]
    prk, plms = pndm_set_timesteps(1000, n, skip_prk, cfg.get("timestepSpacing", "leading"), cfg.get("stepsOffset", 0))
    ratio = 1000 // n

    def get_prev_sample(sample, t, prev_t, eps):
        a_t = ac[t]
        a_prev = ac[prev_t] if prev_t >= 0 else final
        b_t = 1 - a_t
        b_prev = 1 - a_prev
        sample_coeff = (a_prev / a_t) ** 0.5
        denom = a_t * b_prev**0.5 + (a_t * b_t * a_prev) ** 0.5
        return sample_coeff * sample - (a_prev - a_t) * eps / denom

    x = X_T.copy()
    traj, times = [], []
    counter, ets, cur_out, cur_sample = 0, [], 0.0, None
    for t in prk:
        mo = fake_model(x, t)
        diff = 0 if counter % 2 else ratio // 2
        prev_t = t - diff
        ts0 = prk[counter // 4 * 4]
        if counter % 4 == 0:
            cur_out = cur_out + mo / 6
            ets.append(mo)
            cur_sample = x
        elif (counter - 1) % 4 == 0:
            cur_out = cur_out + mo / 3
        elif (counter - 2) % 4 == 0:
            cur_out = cur_out + mo / 3
        else:
            mo = cur_out + mo / 6
            cur_out = 0.0
        cs = cur_sample if cur_sample is not None else x
        x = get_prev_sample(cs, ts0, prev_t, mo)
        if counter % 4 == 3:
            traj.append(x.copy())
            times.append(int(ts0))
        counter += 1
    for t in plms:
        mo = fake_model(x, t)
        prev_t = t - ratio  # diffusers' fixed-ratio rule; equals the list's next entry for 'leading' spacing
        if counter != 1:
            ets = ets[-3:]
            ets.append(mo)
        else:
            prev_t = t
            t = t + ratio
        sample = x
        if len(ets) == 1 and counter == 0:
            cur_sample = x
        elif len(ets) == 1 and counter == 1:
            mo = (mo + ets[-1]) / 2
            sample = cur_sample
            cur_sample = None
        elif len(ets) == 2:
            mo = (3 * ets[-1] - ets[-2]) / 2
        elif len(ets) == 3:
            mo = (23 * ets[-1] - 16 * ets[-2] + 5 * ets[-3]) / 12
        else:
            mo = (1 / 24) * (55 * ets[-1] - 59 * ets[-2] + 37 * ets[-3] - 9 * ets[-4])
        x = get_prev_sample(sample, t, prev_t, mo)
        if not (skip_prk and counter == 0):
            traj.append(x.copy())
            times.append(int(t))
        counter += 1
    return times, traj, prk, plms


def run_spndm_reference(ac, cfg):
    """luping-liu/PNDM gen_order_2 (S-PNDM) on seq = range(0, 1000, 1000//S), next = [-1] + seq[:-1], iterated
    from high to low, with OUR alpha-bar convention: a(t) = ac[t], a(-1) = ac[0] (final_alpha_cumprod with
    set_alpha_to_one=False) instead of the reference's alphas_cump[t + 1]."""
    n = cfg["numInferenceSteps"]
    skip = 1000 // n
    seq = list(range(0, 1000, skip))
    seq_next = [-1] + seq[:-1]

    def a_of(t):
        return ac[t] if t >= 0 else ac[0]

    def transfer(x, t, t_next, et):
        at = a_of(t)
        at_next = a_of(t_next)
        x_delta = (at_next - at) * (
            (1 / (at**0.5 * (at**0.5 + at_next**0.5))) * x
            - 1 / (at**0.5 * (((1 - at_next) * at) ** 0.5 + ((1 - at) * at_next) ** 0.5)) * et
        )
        return x + x_delta

    x = X_T.copy()
    ets, traj = [], []
    for i, j in zip(reversed(seq), reversed(seq_next)):
        if len(ets) > 0:
            noise_ = fake_model(x, i)
            ets.append(noise_)
            noise = 0.5 * (3 * ets[-1] - ets[-2])
        else:  # improved_eular
            e_1 = fake_model(x, i)
            ets.append(e_1)
            x_2 = transfer(x, i, j, e_1)
            e_2 = fake_model(x_2, j)
            noise = (e_1 + e_2) / 2
        x = transfer(x, i, j, noise)
        traj.append(x.copy())
    return list(reversed(seq)), traj


def run_fpndm_reference(ac, cfg):
    """luping-liu/PNDM gen_order_4 (F-PNDM: runge_kutta for the first 3 steps, then AB4), same grid and alpha-bar
    convention as run_spndm_reference. t_mid = (t + t_next)/2 is an integer here (even skips), read directly."""
    n = cfg["numInferenceSteps"]
    skip = 1000 // n
    seq = list(range(0, 1000, skip))
    seq_next = [-1] + seq[:-1]

    def a_of(t):
        t = int(t)  # t.long()
        return ac[t] if t >= 0 else ac[0]

    def transfer(x, t, t_next, et):
        at = a_of(t)
        at_next = a_of(t_next)
        x_delta = (at_next - at) * (
            (1 / (at**0.5 * (at**0.5 + at_next**0.5))) * x
            - 1 / (at**0.5 * (((1 - at_next) * at) ** 0.5 + ((1 - at) * at_next) ** 0.5)) * et
        )
        return x + x_delta

    x = X_T.copy()
    ets, traj = [], []
    for i, j in zip(reversed(seq), reversed(seq_next)):
        t_list = [i, (i + j) / 2, j]
        if len(ets) > 2:
            ets.append(fake_model(x, i))
            noise = (1 / 24) * (55 * ets[-1] - 59 * ets[-2] + 37 * ets[-3] - 9 * ets[-4])
        else:  # runge_kutta
            e_1 = fake_model(x, t_list[0])
            ets.append(e_1)
            x_2 = transfer(x, t_list[0], t_list[1], e_1)
            e_2 = fake_model(x_2, t_list[1])
            x_3 = transfer(x, t_list[0], t_list[1], e_2)
            e_3 = fake_model(x_3, t_list[1])
            x_4 = transfer(x, t_list[0], t_list[2], e_3)
            e_4 = fake_model(x_4, t_list[2])
            noise = (1 / 6) * (e_1 + 2 * e_2 + 2 * e_3 + e_4)
        x = transfer(x, i, j, noise)
        traj.append(x.copy())
    return list(reversed(seq)), traj


def run_pndm_reference_indexing(ac, cfg):
    """luping-liu/PNDM runner/method.py as written, INCLUDING its alpha-bar indexing (our alphaIndexing='reference'):
    transfer reads at = alphas_cump[t.long() + 1], at_next = alphas_cump[t_next.long() + 1] (torch .long()
    truncates toward zero, as Python's int()), so t_next = -1 reads alphas_cump[0] and a midpoint -0.5 reads
    alphas_cump[1]. gen_order_2 (S-PNDM: improved_eular, then 0.5(3e - e')) and gen_order_4 (F-PNDM:
    runge_kutta with t_list = [t, (t + t_next)/2, t_next] for the first 3 steps, then AB4), on
    seq = range(0, 1000, 1000//S), seq_next = [-1] + seq[:-1] (= our 'leading' spacing when S divides 1000),
    or on a custom descending list. The model is called at t (fractional at the midpoints)."""
    n = cfg.get("numInferenceSteps")
    if "timesteps" in cfg:
        desc = list(cfg["timesteps"])
        seq = list(reversed(desc))
    else:
        skip = 1000 // n
        seq = list(range(0, 1000, skip))
    seq_next = [-1] + seq[:-1]

    def a_of(t):
        return ac[int(t) + 1]

    def transfer(x, t, t_next, et):
        at = a_of(t)
        at_next = a_of(t_next)
        x_delta = (at_next - at) * (
            (1 / (at**0.5 * (at**0.5 + at_next**0.5))) * x
            - 1 / (at**0.5 * (((1 - at_next) * at) ** 0.5 + ((1 - at) * at_next) ** 0.5)) * et
        )
        return x + x_delta

    x = X_T.copy()
    ets, traj = [], []
    for i, j in zip(reversed(seq), reversed(seq_next)):
        if cfg["method"] == "s-pndm":
            if len(ets) > 0:
                ets.append(fake_model(x, i))
                noise = 0.5 * (3 * ets[-1] - ets[-2])
            else:
                e_1 = fake_model(x, i)
                ets.append(e_1)
                x_2 = transfer(x, i, j, e_1)
                e_2 = fake_model(x_2, j)
                noise = (e_1 + e_2) / 2
        else:
            t_list = [i, (i + j) / 2, j]
            if len(ets) > 2:
                ets.append(fake_model(x, i))
                noise = (1 / 24) * (55 * ets[-1] - 59 * ets[-2] + 37 * ets[-3] - 9 * ets[-4])
            else:
                e_1 = fake_model(x, t_list[0])
                ets.append(e_1)
                x_2 = transfer(x, t_list[0], t_list[1], e_1)
                e_2 = fake_model(x_2, t_list[1])
                x_3 = transfer(x, t_list[0], t_list[1], e_2)
                e_3 = fake_model(x_3, t_list[1])
                x_4 = transfer(x, t_list[0], t_list[2], e_3)
                e_4 = fake_model(x_4, t_list[2])
                noise = (1 / 6) * (e_1 + 2 * e_2 + 2 * e_3 + e_4)
        x = transfer(x, i, j, noise)
        traj.append(x.copy())
    return list(reversed(seq)), traj


# -------------------------------------------------------------------------- DPMSolverMultistepScheduler
def run_dpm_diffusers(ac, cfg, prediction):
    order = cfg.get("order", 2)
    algo = cfg.get("algorithm", "dpmsolver++")
    solver_type = cfg.get("solverType", "midpoint")
    lower_order_final = cfg.get("lowerOrderFinal", True)
    euler_at_final = cfg.get("eulerAtFinal", False)
    final_type = cfg.get("finalSigmasType", "zero")
    if "timesteps" in cfg:  # custom timesteps: sigmas interpolated at them
        ts = list(cfg["timesteps"])
        sig_all = np.array(((1 - ac) / ac) ** 0.5)
        last = ((1 - ac[0]) / ac[0]) ** 0.5 if final_type == "sigma_min" else 0.0
        sigmas = np.concatenate([np.interp(ts, np.arange(0, len(sig_all)), sig_all), [last]])
    else:
        ts, sigmas = dpm_ms_set_timesteps(ac, cfg)

    noise_now = [None]

    def alpha_sigma(sig):
        alpha_t = 1 / ((sig**2 + 1) ** 0.5)
        return alpha_t, sig * alpha_t

    def lam(sig):
        a, s = alpha_sigma(sig)
        with np.errstate(divide="ignore"):
            return np.log(a) - np.log(s)

    def convert(mo, sample, i):
        alpha_t, sigma_t = alpha_sigma(sigmas[i])
        if algo in ("dpmsolver++", "sde-dpmsolver++"):
            if prediction == "epsilon":
                x0 = (sample - sigma_t * mo) / alpha_t
            elif prediction == "sample":
                x0 = mo
            else:
                x0 = alpha_t * sample - sigma_t * mo
            if cfg.get("thresholding", False):
                x0 = threshold_sample(x0, cfg.get("dynamicThresholdingRatio", 0.995), cfg.get("sampleMaxValue", 1.0))
            return x0
        if prediction == "epsilon":
            eps = mo
        elif prediction == "sample":
            eps = (sample - alpha_t * mo) / sigma_t
        else:
            eps = alpha_t * mo + sigma_t * sample
        if cfg.get("thresholding", False):
            x0 = (sample - sigma_t * eps) / alpha_t
            x0 = threshold_sample(x0, cfg.get("dynamicThresholdingRatio", 0.995), cfg.get("sampleMaxValue", 1.0))
            eps = (sample - alpha_t * x0) / sigma_t
        return eps

    def first(m0, sample, i, noise):
        alpha_t, sigma_t = alpha_sigma(sigmas[i + 1])
        alpha_s, sigma_s = alpha_sigma(sigmas[i])
        h = lam(sigmas[i + 1]) - lam(sigmas[i])
        if algo == "sde-dpmsolver++":
            return (sigma_t / sigma_s * np.exp(-h)) * sample + (alpha_t * (1 - np.exp(-2.0 * h))) * m0 + sigma_t * np.sqrt(1.0 - np.exp(-2 * h)) * noise
        if algo == "sde-dpmsolver":
            return (alpha_t / alpha_s) * sample - 2.0 * (sigma_t * (np.exp(h) - 1.0)) * m0 + sigma_t * np.sqrt(np.exp(2 * h) - 1.0) * noise
        if algo == "dpmsolver++":
            return (sigma_t / sigma_s) * sample - (alpha_t * (np.exp(-h) - 1.0)) * m0
        return (alpha_t / alpha_s) * sample - (sigma_t * (np.exp(h) - 1.0)) * m0

    def second(outs, sample, i):
        alpha_t, sigma_t = alpha_sigma(sigmas[i + 1])
        alpha_s0, sigma_s0 = alpha_sigma(sigmas[i])
        lt, l0, l1 = lam(sigmas[i + 1]), lam(sigmas[i]), lam(sigmas[i - 1])
        m0, m1 = outs[-1], outs[-2]
        h, h0 = lt - l0, l0 - l1
        r0 = h0 / h
        D0, D1 = m0, (1.0 / r0) * (m0 - m1)
        if algo == "sde-dpmsolver++":
            base = (sigma_t / sigma_s0 * np.exp(-h)) * sample + (alpha_t * (1 - np.exp(-2.0 * h))) * D0
            if solver_type == "midpoint":
                corr = 0.5 * (alpha_t * (1 - np.exp(-2.0 * h))) * D1
            else:
                corr = (alpha_t * ((1.0 - np.exp(-2.0 * h)) / (-2.0 * h) + 1.0)) * D1
            return base + corr + sigma_t * np.sqrt(1.0 - np.exp(-2.0 * h)) * noise_now[0]
        if algo == "sde-dpmsolver":
            base = (alpha_t / alpha_s0) * sample - 2.0 * (sigma_t * (np.exp(h) - 1.0)) * D0
            if solver_type == "midpoint":
                corr = -(sigma_t * (np.exp(h) - 1.0)) * D1
            else:
                corr = -2.0 * (sigma_t * ((np.exp(h) - 1.0) / h - 1.0)) * D1
            return base + corr + sigma_t * np.sqrt(np.exp(2 * h) - 1.0) * noise_now[0]
        if algo == "dpmsolver++":
            if solver_type == "midpoint":
                return (sigma_t / sigma_s0) * sample - (alpha_t * (np.exp(-h) - 1.0)) * D0 - 0.5 * (alpha_t * (np.exp(-h) - 1.0)) * D1
            return (sigma_t / sigma_s0) * sample - (alpha_t * (np.exp(-h) - 1.0)) * D0 + (alpha_t * ((np.exp(-h) - 1.0) / h + 1.0)) * D1
        if solver_type == "midpoint":
            return (alpha_t / alpha_s0) * sample - (sigma_t * (np.exp(h) - 1.0)) * D0 - 0.5 * (sigma_t * (np.exp(h) - 1.0)) * D1
        return (alpha_t / alpha_s0) * sample - (sigma_t * (np.exp(h) - 1.0)) * D0 - (sigma_t * ((np.exp(h) - 1.0) / h - 1.0)) * D1

    def third(outs, sample, i):
        alpha_t, sigma_t = alpha_sigma(sigmas[i + 1])
        alpha_s0, sigma_s0 = alpha_sigma(sigmas[i])
        lt, l0, l1, l2 = lam(sigmas[i + 1]), lam(sigmas[i]), lam(sigmas[i - 1]), lam(sigmas[i - 2])
        m0, m1, m2 = outs[-1], outs[-2], outs[-3]
        h, h0, h1 = lt - l0, l0 - l1, l1 - l2
        r0, r1 = h0 / h, h1 / h
        D0 = m0
        D1_0, D1_1 = (1.0 / r0) * (m0 - m1), (1.0 / r1) * (m1 - m2)
        D1 = D1_0 + (r0 / (r0 + r1)) * (D1_0 - D1_1)
        D2 = (1.0 / (r0 + r1)) * (D1_0 - D1_1)
        if algo == "dpmsolver++":
            return (
                (sigma_t / sigma_s0) * sample
                - (alpha_t * (np.exp(-h) - 1.0)) * D0
                + (alpha_t * ((np.exp(-h) - 1.0) / h + 1.0)) * D1
                - (alpha_t * ((np.exp(-h) - 1.0 + h) / h**2 - 0.5)) * D2
            )
        return (
            (alpha_t / alpha_s0) * sample
            - (sigma_t * (np.exp(h) - 1.0)) * D0
            - (sigma_t * ((np.exp(h) - 1.0) / h - 1.0)) * D1
            - (sigma_t * ((np.exp(h) - 1.0 - h) / h**2 - 0.5)) * D2
        )

    x = X_T.copy()
    outs = [None] * order
    lower_order_nums = 0
    rng = np.random.RandomState(NOISE_SEED)  # randn_tensor in step() for the SDE variants
    traj = []
    nsteps = len(ts)
    for i, t in enumerate(ts):
        mo = fake_model(x, t)
        lof = i == nsteps - 1 and (euler_at_final or (lower_order_final and nsteps < 15) or final_type == "zero")
        los = i == nsteps - 2 and lower_order_final and nsteps < 15
        m = convert(mo, x, i)
        for k in range(order - 1):
            outs[k] = outs[k + 1]
        outs[-1] = m
        noise_now[0] = rng.standard_normal((B, D)) if algo.startswith("sde") else None
        if order == 1 or lower_order_nums < 1 or lof:
            x = first(m, x, i, noise_now[0])
        elif order == 2 or lower_order_nums < 2 or los:
            x = second(outs, x, i)
        else:
            x = third(outs, x, i)
        if lower_order_nums < order:
            lower_order_nums += 1
        traj.append(x.copy())
    return ts, traj, sigmas


# ---------------------------------------------------------------------------------- dpm_solver_pytorch.py
def interpolate_fn(x, xp, yp):
    """Piecewise linear through (xp, yp) (xp ascending), extended linearly by the end segments."""
    K = len(xp)
    x_idx = int(np.sum(xp < x))  # position of x among the sorted keypoints
    if x_idx == 0:
        start_idx2 = 0
        start_x, end_x = xp[0], xp[1]
    elif x_idx == K:
        start_idx2 = K - 2
        start_x, end_x = xp[K - 2], xp[K - 1]
    else:
        start_idx2 = x_idx - 1
        start_x, end_x = xp[x_idx - 1], xp[x_idx]
    start_y, end_y = yp[start_idx2], yp[start_idx2 + 1]
    return start_y + (x - start_x) * (end_y - start_y) / (end_x - start_x)


class NoiseScheduleVP:
    def __init__(self, schedule, alphas_cumprod=None, beta_0=0.1, beta_1=20.0):
        self.schedule = schedule
        if schedule == "discrete":
            log_alphas = 0.5 * np.log(alphas_cumprod)
            log_alphas = self.numerical_clip_alpha(log_alphas)
            self.T = 1.0
            self.log_alpha_array = log_alphas
            self.total_N = len(log_alphas)
            self.t_array = np.linspace(0.0, 1.0, self.total_N + 1)[1:]
        elif schedule == "linear":
            self.T = 1.0
            self.total_N = 1000
            self.beta_0, self.beta_1 = beta_0, beta_1
        elif schedule == "cosine":  # the older dpm_solver_pytorch.py (cosine_s = 0.008, T capped at 0.9946)
            self.total_N = 1000
            self.cosine_s = 0.008
            self.cosine_beta_max = 999.0
            self.cosine_t_max = (
                math.atan(self.cosine_beta_max * (1.0 + self.cosine_s) / math.pi) * 2.0 * (1.0 + self.cosine_s) / math.pi
                - self.cosine_s
            )
            self.cosine_log_alpha_0 = math.log(math.cos(self.cosine_s / (1.0 + self.cosine_s) * math.pi / 2.0))
            self.T = 0.9946

    @staticmethod
    def numerical_clip_alpha(log_alphas, clipped_lambda=-5.1):
        log_sigmas = 0.5 * np.log(1.0 - np.exp(2.0 * log_alphas))
        lambs = log_alphas - log_sigmas
        idx = int(np.searchsorted(np.flip(lambs), clipped_lambda))
        if idx > 0:
            log_alphas = log_alphas[:-idx]
        return log_alphas

    def marginal_log_mean_coeff(self, t):
        if self.schedule == "discrete":
            return interpolate_fn(t, self.t_array, self.log_alpha_array)
        if self.schedule == "linear":
            return -0.25 * t**2 * (self.beta_1 - self.beta_0) - 0.5 * t * self.beta_0
        s = self.cosine_s
        return math.log(math.cos((t + s) / (1.0 + s) * math.pi / 2.0)) - self.cosine_log_alpha_0

    def marginal_alpha(self, t):
        return math.exp(self.marginal_log_mean_coeff(t))

    def marginal_std(self, t):
        return math.sqrt(1.0 - math.exp(2.0 * self.marginal_log_mean_coeff(t)))

    def marginal_lambda(self, t):
        l = self.marginal_log_mean_coeff(t)
        return l - 0.5 * math.log(1.0 - math.exp(2.0 * l))

    def inverse_lambda(self, lamb):
        if self.schedule == "linear":
            tmp = 2.0 * (self.beta_1 - self.beta_0) * np.logaddexp(-2.0 * lamb, 0.0)
            Delta = self.beta_0**2 + tmp
            return tmp / (math.sqrt(Delta) + self.beta_0) / (self.beta_1 - self.beta_0)
        log_alpha = -0.5 * np.logaddexp(0.0, -2.0 * lamb)
        if self.schedule == "discrete":
            return interpolate_fn(log_alpha, np.flip(self.log_alpha_array), np.flip(self.t_array))
        s = self.cosine_s
        t_fn = lambda la: math.acos(math.exp(la + self.cosine_log_alpha_0)) * 2.0 * (1.0 + s) / math.pi - s
        return t_fn(log_alpha)


class DPMSolverRef:
    def __init__(self, ns, prediction, algorithm_type, thresholding=False, ratio=0.995, max_val=1.0):
        self.ns = ns
        self.prediction = prediction
        self.algorithm_type = algorithm_type
        self.thresholding = thresholding
        self.ratio = ratio
        self.max_val = max_val

    def model_input_time(self, t):
        if self.ns.schedule == "discrete":
            return (t - 1.0 / self.ns.total_N) * 1000.0
        return t

    def noise_prediction_fn(self, x, t):  # model_wrapper
        out = fake_model(x, self.model_input_time(t))
        if self.prediction == "epsilon":
            return out
        alpha_t, sigma_t = self.ns.marginal_alpha(t), self.ns.marginal_std(t)
        if self.prediction == "sample":
            return (x - alpha_t * out) / sigma_t
        return alpha_t * out + sigma_t * x

    def data_prediction_fn(self, x, t):
        noise = self.noise_prediction_fn(x, t)
        alpha_t, sigma_t = self.ns.marginal_alpha(t), self.ns.marginal_std(t)
        x0 = (x - sigma_t * noise) / alpha_t
        if self.thresholding:  # dynamic_thresholding_fn: s = max(quantile, thresholding_max_val)
            s = np.quantile(np.abs(x0), self.ratio, axis=1)
            s = np.maximum(s, self.max_val)[:, None]
            x0 = np.clip(x0, -s, s) / s
        return x0

    def model_fn(self, x, t):
        if self.algorithm_type == "dpmsolver++":
            return self.data_prediction_fn(x, t)
        return self.noise_prediction_fn(x, t)

    def get_time_steps(self, skip_type, t_T, t_0, N):
        if skip_type == "logSNR":
            lambda_T = self.ns.marginal_lambda(t_T)
            lambda_0 = self.ns.marginal_lambda(t_0)
            return np.array([self.ns.inverse_lambda(l) for l in np.linspace(lambda_T, lambda_0, N + 1)])
        if skip_type == "time_uniform":
            return np.linspace(t_T, t_0, N + 1)
        if skip_type == "time_quadratic":
            return np.linspace(t_T ** 0.5, t_0 ** 0.5, N + 1) ** 2
        raise ValueError(skip_type)

    def get_orders_and_timesteps_for_singlestep_solver(self, steps, order, skip_type, t_T, t_0):
        if order == 3:
            K = steps // 3 + 1
            if steps % 3 == 0:
                orders = [3] * (K - 2) + [2, 1]
            elif steps % 3 == 1:
                orders = [3] * (K - 1) + [1]
            else:
                orders = [3] * (K - 1) + [2]
        elif order == 2:
            if steps % 2 == 0:
                K = steps // 2
                orders = [2] * K
            else:
                K = steps // 2 + 1
                orders = [2] * (K - 1) + [1]
        else:
            K = steps
            orders = [1] * steps
        if skip_type == "logSNR":
            outer = self.get_time_steps(skip_type, t_T, t_0, K)
        else:
            outer = self.get_time_steps(skip_type, t_T, t_0, steps)[np.cumsum([0] + orders)]
        return outer, orders

    def first_update(self, x, s, t, model_s=None):
        ns = self.ns
        h = ns.marginal_lambda(t) - ns.marginal_lambda(s)
        log_alpha_s, log_alpha_t = ns.marginal_log_mean_coeff(s), ns.marginal_log_mean_coeff(t)
        sigma_s, sigma_t = ns.marginal_std(s), ns.marginal_std(t)
        alpha_t = math.exp(log_alpha_t)
        if model_s is None:
            model_s = self.model_fn(x, s)
        if self.algorithm_type == "dpmsolver++":
            return sigma_t / sigma_s * x - alpha_t * math.expm1(-h) * model_s
        return math.exp(log_alpha_t - log_alpha_s) * x - (sigma_t * math.expm1(h)) * model_s

    def second_update(self, x, s, t, r1=0.5, solver_type="dpmsolver"):
        ns = self.ns
        if r1 is None:
            r1 = 0.5
        lambda_s, lambda_t = ns.marginal_lambda(s), ns.marginal_lambda(t)
        h = lambda_t - lambda_s
        lambda_s1 = lambda_s + r1 * h
        s1 = ns.inverse_lambda(lambda_s1)
        log_alpha_s, log_alpha_s1, log_alpha_t = (ns.marginal_log_mean_coeff(v) for v in (s, s1, t))
        sigma_s, sigma_s1, sigma_t = (ns.marginal_std(v) for v in (s, s1, t))
        alpha_s1, alpha_t = math.exp(log_alpha_s1), math.exp(log_alpha_t)
        model_s = self.model_fn(x, s)
        if self.algorithm_type == "dpmsolver++":
            phi_11 = math.expm1(-r1 * h)
            phi_1 = math.expm1(-h)
            x_s1 = (sigma_s1 / sigma_s) * x - (alpha_s1 * phi_11) * model_s
            model_s1 = self.model_fn(x_s1, s1)
            if solver_type == "dpmsolver":
                return (sigma_t / sigma_s) * x - (alpha_t * phi_1) * model_s - (0.5 / r1) * (alpha_t * phi_1) * (model_s1 - model_s)
            return (sigma_t / sigma_s) * x - (alpha_t * phi_1) * model_s + (1.0 / r1) * (alpha_t * (phi_1 / h + 1.0)) * (model_s1 - model_s)
        phi_11 = math.expm1(r1 * h)
        phi_1 = math.expm1(h)
        x_s1 = math.exp(log_alpha_s1 - log_alpha_s) * x - (sigma_s1 * phi_11) * model_s
        model_s1 = self.model_fn(x_s1, s1)
        if solver_type == "dpmsolver":
            return math.exp(log_alpha_t - log_alpha_s) * x - (sigma_t * phi_1) * model_s - (0.5 / r1) * (sigma_t * phi_1) * (model_s1 - model_s)
        return math.exp(log_alpha_t - log_alpha_s) * x - (sigma_t * phi_1) * model_s - (1.0 / r1) * (sigma_t * (phi_1 / h - 1.0)) * (model_s1 - model_s)

    def third_update(self, x, s, t, r1=1.0 / 3.0, r2=2.0 / 3.0, solver_type="dpmsolver"):
        ns = self.ns
        if r1 is None:
            r1 = 1.0 / 3.0
        if r2 is None:
            r2 = 2.0 / 3.0
        lambda_s, lambda_t = ns.marginal_lambda(s), ns.marginal_lambda(t)
        h = lambda_t - lambda_s
        s1 = ns.inverse_lambda(lambda_s + r1 * h)
        s2 = ns.inverse_lambda(lambda_s + r2 * h)
        log_alpha_s, log_alpha_s1, log_alpha_s2, log_alpha_t = (ns.marginal_log_mean_coeff(v) for v in (s, s1, s2, t))
        sigma_s, sigma_s1, sigma_s2, sigma_t = (ns.marginal_std(v) for v in (s, s1, s2, t))
        alpha_s1, alpha_s2, alpha_t = math.exp(log_alpha_s1), math.exp(log_alpha_s2), math.exp(log_alpha_t)
        model_s = self.model_fn(x, s)
        if self.algorithm_type == "dpmsolver++":
            phi_11 = math.expm1(-r1 * h)
            phi_12 = math.expm1(-r2 * h)
            phi_1 = math.expm1(-h)
            phi_22 = math.expm1(-r2 * h) / (r2 * h) + 1.0
            phi_2 = phi_1 / h + 1.0
            phi_3 = phi_2 / h - 0.5
            x_s1 = (sigma_s1 / sigma_s) * x - (alpha_s1 * phi_11) * model_s
            model_s1 = self.model_fn(x_s1, s1)
            x_s2 = (sigma_s2 / sigma_s) * x - (alpha_s2 * phi_12) * model_s + r2 / r1 * (alpha_s2 * phi_22) * (model_s1 - model_s)
            model_s2 = self.model_fn(x_s2, s2)
            if solver_type == "dpmsolver":
                return (sigma_t / sigma_s) * x - (alpha_t * phi_1) * model_s + (1.0 / r2) * (alpha_t * phi_2) * (model_s2 - model_s)
            D1_0 = (1.0 / r1) * (model_s1 - model_s)
            D1_1 = (1.0 / r2) * (model_s2 - model_s)
            D1 = (r2 * D1_0 - r1 * D1_1) / (r2 - r1)
            D2 = 2.0 * (D1_1 - D1_0) / (r2 - r1)
            return (sigma_t / sigma_s) * x - (alpha_t * phi_1) * model_s + (alpha_t * phi_2) * D1 - (alpha_t * phi_3) * D2
        phi_11 = math.expm1(r1 * h)
        phi_12 = math.expm1(r2 * h)
        phi_1 = math.expm1(h)
        phi_22 = math.expm1(r2 * h) / (r2 * h) - 1.0
        phi_2 = phi_1 / h - 1.0
        phi_3 = phi_2 / h - 0.5
        x_s1 = math.exp(log_alpha_s1 - log_alpha_s) * x - (sigma_s1 * phi_11) * model_s
        model_s1 = self.model_fn(x_s1, s1)
        x_s2 = math.exp(log_alpha_s2 - log_alpha_s) * x - (sigma_s2 * phi_12) * model_s - r2 / r1 * (sigma_s2 * phi_22) * (model_s1 - model_s)
        model_s2 = self.model_fn(x_s2, s2)
        if solver_type == "dpmsolver":
            return math.exp(log_alpha_t - log_alpha_s) * x - (sigma_t * phi_1) * model_s - (1.0 / r2) * (sigma_t * phi_2) * (model_s2 - model_s)
        D1_0 = (1.0 / r1) * (model_s1 - model_s)
        D1_1 = (1.0 / r2) * (model_s2 - model_s)
        D1 = (r2 * D1_0 - r1 * D1_1) / (r2 - r1)
        D2 = 2.0 * (D1_1 - D1_0) / (r2 - r1)
        return math.exp(log_alpha_t - log_alpha_s) * x - (sigma_t * phi_1) * model_s - (sigma_t * phi_2) * D1 - (sigma_t * phi_3) * D2

    def multistep_update(self, x, model_prev_list, t_prev_list, t, order, solver_type):
        ns = self.ns
        if order == 1:
            return self.first_update(x, t_prev_list[-1], t, model_s=model_prev_list[-1])
        if order == 2:
            m1, m0 = model_prev_list[-2], model_prev_list[-1]
            t1, t0 = t_prev_list[-2], t_prev_list[-1]
            l1, l0, lt = ns.marginal_lambda(t1), ns.marginal_lambda(t0), ns.marginal_lambda(t)
            log_alpha_0, log_alpha_t = ns.marginal_log_mean_coeff(t0), ns.marginal_log_mean_coeff(t)
            sigma_0, sigma_t = ns.marginal_std(t0), ns.marginal_std(t)
            alpha_t = math.exp(log_alpha_t)
            h_0 = l0 - l1
            h = lt - l0
            r0 = h_0 / h
            D1_0 = (1.0 / r0) * (m0 - m1)
            if self.algorithm_type == "dpmsolver++":
                phi_1 = math.expm1(-h)
                if solver_type == "dpmsolver":
                    return (sigma_t / sigma_0) * x - (alpha_t * phi_1) * m0 - 0.5 * (alpha_t * phi_1) * D1_0
                return (sigma_t / sigma_0) * x - (alpha_t * phi_1) * m0 + (alpha_t * (phi_1 / h + 1.0)) * D1_0
            phi_1 = math.expm1(h)
            if solver_type == "dpmsolver":
                return math.exp(log_alpha_t - log_alpha_0) * x - (sigma_t * phi_1) * m0 - 0.5 * (sigma_t * phi_1) * D1_0
            return math.exp(log_alpha_t - log_alpha_0) * x - (sigma_t * phi_1) * m0 - (sigma_t * (phi_1 / h - 1.0)) * D1_0
        m2, m1, m0 = model_prev_list
        t2, t1, t0 = t_prev_list
        l2, l1, l0, lt = (ns.marginal_lambda(v) for v in (t2, t1, t0, t))
        log_alpha_0, log_alpha_t = ns.marginal_log_mean_coeff(t0), ns.marginal_log_mean_coeff(t)
        sigma_0, sigma_t = ns.marginal_std(t0), ns.marginal_std(t)
        alpha_t = math.exp(log_alpha_t)
        h_1 = l1 - l2
        h_0 = l0 - l1
        h = lt - l0
        r0, r1 = h_0 / h, h_1 / h
        D1_0 = (1.0 / r0) * (m0 - m1)
        D1_1 = (1.0 / r1) * (m1 - m2)
        D1 = D1_0 + (r0 / (r0 + r1)) * (D1_0 - D1_1)
        D2 = (1.0 / (r0 + r1)) * (D1_0 - D1_1)
        if self.algorithm_type == "dpmsolver++":
            phi_1 = math.expm1(-h)
            phi_2 = phi_1 / h + 1.0
            phi_3 = phi_2 / h - 0.5
            return (sigma_t / sigma_0) * x - (alpha_t * phi_1) * m0 + (alpha_t * phi_2) * D1 - (alpha_t * phi_3) * D2
        phi_1 = math.expm1(h)
        phi_2 = phi_1 / h - 1.0
        phi_3 = phi_2 / h - 0.5
        return math.exp(log_alpha_t - log_alpha_0) * x - (sigma_t * phi_1) * m0 - (sigma_t * phi_2) * D1 - (sigma_t * phi_3) * D2

    def adaptive(self, x, order, t_T, t_0, h_init=0.05, atol=0.0078, rtol=0.05, theta=0.9, t_err=1e-5, solver_type="dpmsolver"):
        """dpm_solver_adaptive (DPM-Solver-12 / -23), returning the iterate after every attempt (unchanged when
        rejected). The reference casts E^(-1/order) to float32 (`float_power(...).float()`); we keep float64."""
        ns = self.ns
        s = t_T
        lambda_s = ns.marginal_lambda(s)
        lambda_0 = ns.marginal_lambda(t_0)
        h = h_init
        x_prev = x
        traj = []
        if order == 2:
            lower = lambda x, s, t: self.first_update(x, s, t)
            higher = lambda x, s, t: self.second_update(x, s, t, r1=0.5, solver_type=solver_type)
        else:
            lower = lambda x, s, t: self.second_update(x, s, t, r1=1.0 / 3.0, solver_type=solver_type)
            higher = lambda x, s, t: self.third_update(x, s, t, r1=1.0 / 3.0, r2=2.0 / 3.0, solver_type=solver_type)
        while abs(s - t_0) > t_err:
            t = ns.inverse_lambda(lambda_s + h)
            x_lower = lower(x, s, t)
            x_higher = higher(x, s, t)
            delta = np.maximum(atol, rtol * np.maximum(np.abs(x_lower), np.abs(x_prev)))
            E = np.sqrt(np.square((x_higher - x_lower) / delta).mean(axis=1)).max()
            if E <= 1.0:
                x = x_higher
                s = t
                x_prev = x_lower
                lambda_s = ns.marginal_lambda(s)
            h = min(theta * h * E ** (-1.0 / order), lambda_0 - lambda_s)
            traj.append(x.copy())
            if len(traj) > 5000:
                raise RuntimeError("adaptive solver did not finish")
        return traj

    def sample(self, x, steps, order, skip_type, method, lower_order_final=True, solver_type="dpmsolver",
               denoise_to_zero=False):
        """DPM_Solver.sample (t_start = T, t_end = 1/N), returning the iterate after every outer step."""
        t_0 = 1.0 / self.ns.total_N
        t_T = self.ns.T
        traj, times = [], []
        if method == "multistep":
            timesteps = self.get_time_steps(skip_type, t_T, t_0, steps)
            times = list(timesteps)
            t_prev_list = [timesteps[0]]
            model_prev_list = [self.model_fn(x, timesteps[0])]
            for step in range(1, order):
                t = timesteps[step]
                x = self.multistep_update(x, model_prev_list, t_prev_list, t, step, solver_type)
                traj.append(x.copy())
                t_prev_list.append(t)
                model_prev_list.append(self.model_fn(x, t))
            for step in range(order, steps + 1):
                t = timesteps[step]
                step_order = min(order, steps + 1 - step) if (lower_order_final and steps < 10) else order
                x = self.multistep_update(x, model_prev_list, t_prev_list, t, step_order, solver_type)
                traj.append(x.copy())
                for i in range(order - 1):
                    t_prev_list[i] = t_prev_list[i + 1]
                    model_prev_list[i] = model_prev_list[i + 1]
                t_prev_list[-1] = t
                if step < steps:
                    model_prev_list[-1] = self.model_fn(x, t)
        else:
            if method == "singlestep_fixed":
                K = steps // order
                orders = [order] * K
                outer = self.get_time_steps(skip_type, t_T, t_0, K)
            else:
                outer, orders = self.get_orders_and_timesteps_for_singlestep_solver(steps, order, skip_type, t_T, t_0)
            times = list(outer)
            for step, o in enumerate(orders):
                s, t = outer[step], outer[step + 1]
                inner = self.get_time_steps(skip_type, s, t, o)
                lam = [self.ns.marginal_lambda(v) for v in inner]
                h = lam[-1] - lam[0]
                r1 = None if o <= 1 else (lam[1] - lam[0]) / h
                r2 = None if o <= 2 else (lam[2] - lam[0]) / h
                if o == 1:
                    x = self.first_update(x, s, t)
                elif o == 2:
                    x = self.second_update(x, s, t, r1=r1, solver_type=solver_type)
                else:
                    x = self.third_update(x, s, t, r1=r1, r2=r2, solver_type=solver_type)
                traj.append(x.copy())
        if denoise_to_zero:  # one more NFE: x <- data prediction at t_0 (our TS folds it into the last step)
            traj[-1] = self.data_prediction_fn(x, t_0)
        return [float(v) for v in times], traj


# --------------------------------------------------------------------------------------------------- LCM
def run_lcm(ac, cfg, prediction, rng, final_noise_bug=False):
    ts = lcm_timesteps(1000, cfg["numInferenceSteps"], cfg.get("originalInferenceSteps", 50), cfg.get("strength", 1.0))
    final = 1.0 if cfg.get("setAlphaToOne", True) else ac[0]
    scaling = cfg.get("timestepScaling", 10.0)
    sigma_data = 0.5
    x = X_T.copy()
    traj = []
    for i, t in enumerate(ts):
        prev_t = ts[i + 1] if i + 1 < len(ts) else t
        a_t = ac[t]
        a_prev = ac[prev_t] if prev_t >= 0 else final
        b_prev = 1 - a_prev
        scaled = t * scaling
        c_skip = sigma_data**2 / (scaled**2 + sigma_data**2)
        c_out = scaled / (scaled**2 + sigma_data**2) ** 0.5
        x0, _ = x0_eps(fake_model(x, t), x, a_t, prediction)
        x0 = correct_x0(x0, {**cfg, "clipSample": cfg.get("clipSample", False)})
        denoised = c_out * x0 + c_skip * x
        if i != len(ts) - 1 or final_noise_bug:  # final_noise_bug: pre-PR #5681 diffusers / diffusers.js
            noise = rng.standard_normal((B, D))
            x = a_prev**0.5 * denoised + b_prev**0.5 * noise
        else:
            x = denoised  # no noise on the final step (diffusers PR #5681)
        traj.append(x.copy())
    return ts, traj


# ------------------------------------------------------------------------------------------------- cases
def case(name, schedule, options, prediction, times, traj, **extra):
    return dict(name=name, schedule=schedule, options=options, prediction=prediction,
                times=[float(t) for t in times], trajectory=[arr(x) for x in traj], **extra)


def gen_schedules():
    out = {"betas": [], "spacings": [], "dpmTimesteps": [], "pndm": [], "lcm": [], "karras": [], "continuous": []}
    for name, opts in [
        ("linear", dict(betaSchedule="linear")),
        ("scaled_linear", dict(betaSchedule="scaled_linear", betaStart=0.00085, betaEnd=0.012)),
        ("squaredcos_cap_v2", dict(betaSchedule="squaredcos_cap_v2")),
        ("linear+zero_snr", dict(betaSchedule="linear", rescaleBetasZeroSnr=True)),
        ("scaled_linear+zero_snr", dict(betaSchedule="scaled_linear", betaStart=0.00085, betaEnd=0.012, rescaleBetasZeroSnr=True)),
    ]:
        betas, ac = schedule_from(opts)
        out["betas"].append(dict(name=name, schedule=opts, betas=arr(betas), alphasCumprod=arr(ac)))
    for n in [1, 3, 4, 7, 10, 50, 999]:
        for spacing in ["leading", "trailing", "linspace"]:
            for offset in ([0, 1] if spacing == "leading" else [0]):
                out["spacings"].append(dict(n=n, spacing=spacing, stepsOffset=offset, timesteps=ddim_timesteps(1000, n, spacing, offset)))
    _, ac_lin = make_schedule("linear")
    _, ac_cos = make_schedule("squaredcos_cap_v2")
    for n in [1, 4, 7, 10, 20, 25]:
        for spacing in ["leading", "trailing", "linspace"]:
            out["dpmTimesteps"].append(dict(n=n, spacing=spacing, lambdaMinClipped=None,
                                            timesteps=[int(t) for t in dpm_ms_timesteps(ac_lin, n, spacing)]))
            # lambda_min_clipped on the cosine schedule (DeepFloyd IF uses -5.1)
            out["dpmTimesteps"].append(dict(n=n, spacing=spacing, lambdaMinClipped=-5.1, schedule="squaredcos_cap_v2",
                                            lastTimestep=int(1000 - np.searchsorted(np.flip(lambda_t_of(ac_cos)), -5.1)),
                                            timesteps=[int(t) for t in dpm_ms_timesteps(ac_cos, n, spacing, 0, -5.1)]))
    for n in [4, 5, 10, 50]:
        for skip in [True, False]:
            for spacing in ["leading", "trailing", "linspace"]:
                prk, plms = pndm_set_timesteps(1000, n, skip, spacing)
                out["pndm"].append(dict(n=n, skipPrkSteps=skip, spacing=spacing, prk=prk, plms=plms))
    for n in [1, 2, 3, 4, 8, 50]:
        out["lcm"].append(dict(n=n, originalInferenceSteps=50, strength=1.0, timesteps=lcm_timesteps(1000, n)))
    out["lcm"].append(dict(n=4, originalInferenceSteps=50, strength=0.5, timesteps=lcm_timesteps(1000, 4, 50, 0.5)))
    for name, opts in [("linear", dict(betaSchedule="linear")),
                       ("scaled_linear", dict(betaSchedule="scaled_linear", betaStart=0.00085, betaEnd=0.012))]:
        _, ac = schedule_from(opts)
        sig = np.array(((1 - ac) / ac) ** 0.5)
        log_sigmas = np.log(sig)
        for n in [4, 10, 25]:
            ks = convert_to_karras(np.flip(sig).copy(), n)
            ts = [float(sigma_to_t(s, log_sigmas)) for s in ks]
            out["karras"].append(dict(name=name, schedule=opts, n=n, sigmas=arr(ks), fractionalTimesteps=ts,
                                      timesteps=[int(v) for v in np.round(ts)]))
    # continuous views: lambda(t) and inverse lambda(lambda)
    tgrid = [1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]
    lgrid = [-5.0, -3.0, -1.0, -0.2, 0.0, 0.5, 1.5, 3.0, 4.5]
    for name, ns, opts in [
        ("vp-linear", NoiseScheduleVP("linear"), None),
        ("vp-cosine", NoiseScheduleVP("cosine"), None),
        ("discrete-linear", NoiseScheduleVP("discrete", alphas_cumprod=ac_lin), dict(betaSchedule="linear")),
        ("discrete-cosine", NoiseScheduleVP("discrete", alphas_cumprod=ac_cos), dict(betaSchedule="squaredcos_cap_v2")),
    ]:
        ts = [t for t in tgrid if t <= ns.T]
        out["continuous"].append(dict(
            name=name, schedule=opts, T=ns.T, totalN=ns.total_N, t=ts,
            logMean=[ns.marginal_log_mean_coeff(t) for t in ts],
            lambda_=[ns.marginal_lambda(t) for t in ts],
            lambdas=lgrid, inverse=[float(ns.inverse_lambda(l)) for l in lgrid]))
    return out


def gen_ddim():
    cases = []
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        for n in [4, 10]:
            for spacing in ["leading", "trailing", "linspace"]:
                for clip in [True, False]:
                    cfg = dict(numInferenceSteps=n, timestepSpacing=spacing, clipSample=clip)
                    ts, traj = run_ddim(ac, cfg, "epsilon", None)
                    # the diffusers prev_timestep bug's final x, which we must NOT reproduce (differs off 'leading')
                    _, buggy = run_ddim(ac, cfg, "epsilon", None, diffusers_prev_bug=True)
                    cases.append(case(f"ddim {sname} N={n} {spacing} clip={clip}", sopts, cfg, "epsilon", ts, traj,
                                      buggyFinal=arr(buggy[-1])))
        for pred in ["sample", "v"]:
            cfg = dict(numInferenceSteps=10, timestepSpacing="trailing", clipSample=False)
            ts, traj = run_ddim(ac, cfg, pred, None)
            cases.append(case(f"ddim {sname} N=10 trailing prediction={pred}", sopts, cfg, pred, ts, traj))
        for extra in [dict(setAlphaToOne=False), dict(stepsOffset=1, setAlphaToOne=False),
                      dict(thresholding=True, sampleMaxValue=1.5), dict(thresholding=True, sampleMaxValue=3.0, dynamicThresholdingRatio=0.8),
                      dict(clipSample=True, clipSampleRange=1.5, useClippedModelOutput=True)]:
            cfg = {**dict(numInferenceSteps=10, timestepSpacing="leading", clipSample=False), **extra}
            ts, traj = run_ddim(ac, cfg, "epsilon", None)
            cases.append(case(f"ddim {sname} N=10 leading {extra}", sopts, cfg, "epsilon", ts, traj))
        # zero-terminal-SNR with trailing spacing (starts at t = 999 where alpha-bar = 2^-24), v prediction
        zopts = dict(sopts, rescaleBetasZeroSnr=True)
        _, acz = schedule_from(zopts)
        cfg = dict(numInferenceSteps=10, timestepSpacing="trailing", clipSample=False)
        ts, traj = run_ddim(acz, cfg, "v", None)
        cases.append(case(f"ddim {sname}+zero_snr N=10 trailing v", zopts, cfg, "v", ts, traj))
        for spacing in ["leading", "trailing", "linspace"]:  # single-step edge case: first step = last step
            cfg = dict(numInferenceSteps=1, timestepSpacing=spacing, clipSample=False)
            ts, traj = run_ddim(ac, cfg, "epsilon", None)
            cases.append(case(f"ddim {sname} N=1 {spacing}", sopts, cfg, "epsilon", ts, traj))
        cfg = dict(timesteps=[999, 900, 700, 420, 200, 60, 5], clipSample=False)
        ts, traj = run_ddim(ac, cfg, "epsilon", None)
        cases.append(case(f"ddim {sname} custom timesteps (prev = next list entry)", sopts, cfg, "epsilon", ts, traj))
        for eta in [0.5, 1.0]:
            cfg = dict(numInferenceSteps=10, timestepSpacing="linspace", clipSample=False, eta=eta)
            rng = np.random.RandomState(NOISE_SEED)
            ts, traj = run_ddim(ac, cfg, "epsilon", rng)
            cases.append(case(f"ddim {sname} N=10 linspace eta={eta} seed={NOISE_SEED}", sopts, cfg, "epsilon", ts, traj, seed=NOISE_SEED))
    return cases


def gen_ddpm():
    cases = []
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        for spacing in ["leading", "linspace", "trailing"]:
            for vt in ["fixed_small", "fixed_large"]:
                cfg = dict(numInferenceSteps=10, timestepSpacing=spacing, clipSample=False, varianceType=vt)
                ts, traj = run_ddpm(ac, cfg, "epsilon", np.random.RandomState(NOISE_SEED))
                cases.append(case(f"ddpm {sname} N=10 {spacing} {vt}", sopts, cfg, "epsilon", ts, traj, seed=NOISE_SEED))
        cfg = dict(numInferenceSteps=4, timestepSpacing="leading", clipSample=True)
        ts, traj = run_ddpm(ac, cfg, "v", np.random.RandomState(NOISE_SEED))
        cases.append(case(f"ddpm {sname} N=4 leading clip v", sopts, cfg, "v", ts, traj, seed=NOISE_SEED))
    return cases


def gen_pndm():
    cases = []
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        for n in [4, 10, 25]:
            for method in ["plms", "f-pndm"]:
                for sa1 in [False, True]:
                    cfg = dict(numInferenceSteps=n, method=method, setAlphaToOne=sa1)
                    ts, traj, prk, plms = run_pndm_diffusers(ac, cfg)
                    cases.append(case(f"pndm diffusers {sname} N={n} {method} setAlphaToOne={sa1}", sopts, cfg, "epsilon", ts, traj,
                                      prk=prk, plms=plms))
            cfg = dict(numInferenceSteps=n, method="f-pndm", setAlphaToOne=False)
            ts, traj = run_fpndm_reference(ac, cfg)
            cases.append(case(f"pndm reference F-PNDM {sname} N={n}", sopts, cfg, "epsilon", ts, traj))
            cfg = dict(numInferenceSteps=n, method="s-pndm", setAlphaToOne=False)
            ts, traj = run_spndm_reference(ac, cfg)
            cases.append(case(f"pndm reference S-PNDM {sname} N={n}", sopts, cfg, "epsilon", ts, traj))
        # the reference's own alpha-bar indexing (alphas_cump[t + 1]); N = 40 has odd skips (25), so the F-PNDM
        # midpoints are fractional (987.5 -> index 988); the custom list has uneven gaps (midpoints 864.5, 566.5, 201.5)
        for n in [4, 10, 25, 40]:
            for method in ["s-pndm", "f-pndm"]:
                cfg = dict(numInferenceSteps=n, method=method, alphaIndexing="reference")
                ts, traj = run_pndm_reference_indexing(ac, cfg)
                cases.append(case(f"pndm reference indexing {method} {sname} N={n}", sopts, cfg, "epsilon", ts, traj))
        for method in ["s-pndm", "f-pndm"]:
            cfg = dict(timesteps=[998, 731, 402, 1], method=method, alphaIndexing="reference")
            ts, traj = run_pndm_reference_indexing(ac, cfg)
            cases.append(case(f"pndm reference indexing {method} {sname} custom", sopts, cfg, "epsilon", ts, traj))
    return cases


def gen_dpm_discrete():
    cases = []
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        configs = []
        for n in [4, 10, 20]:
            for order in [1, 2, 3]:
                for algo in ["dpmsolver++", "dpmsolver"]:
                    for st in (["midpoint", "heun"] if order == 2 else ["midpoint"]):
                        configs.append(dict(numInferenceSteps=n, order=order, algorithm=algo, solverType=st,
                                            finalSigmasType="zero" if algo == "dpmsolver++" else "sigma_min"))
        configs += [
            dict(numInferenceSteps=10, order=2, finalSigmasType="sigma_min"),
            dict(numInferenceSteps=10, order=3, finalSigmasType="sigma_min", lowerOrderFinal=False),
            dict(numInferenceSteps=20, order=2, finalSigmasType="sigma_min", eulerAtFinal=True),
            dict(numInferenceSteps=10, order=2, lowerOrderFinal=False),
            dict(numInferenceSteps=10, order=3, timestepSpacing="leading"),
            dict(numInferenceSteps=10, order=3, timestepSpacing="trailing"),
            dict(numInferenceSteps=4, order=2, timestepSpacing="trailing", solverType="heun"),
            dict(numInferenceSteps=10, order=2, useKarrasSigmas=True),
            dict(numInferenceSteps=10, order=3, useKarrasSigmas=True, finalSigmasType="sigma_min"),
            dict(numInferenceSteps=20, order=2, useKarrasSigmas=True, algorithm="dpmsolver", finalSigmasType="sigma_min"),
            dict(numInferenceSteps=10, order=2, thresholding=True, sampleMaxValue=1.5),
            dict(numInferenceSteps=10, order=3, thresholding=True, sampleMaxValue=2.0, dynamicThresholdingRatio=0.9),
            dict(numInferenceSteps=10, order=2, thresholding=True, sampleMaxValue=1.5, algorithm="dpmsolver", finalSigmasType="sigma_min"),
            dict(numInferenceSteps=1, order=2),
            dict(numInferenceSteps=2, order=3),
            dict(numInferenceSteps=1, order=2, finalSigmasType="sigma_min"),
            dict(timesteps=[999, 850, 600, 333, 120, 10], order=2),
            dict(timesteps=[999, 850, 600, 333, 120, 10], order=3, algorithm="dpmsolver", finalSigmasType="sigma_min"),
        ]
        for algo in ["sde-dpmsolver++", "sde-dpmsolver"]:
            for order in [1, 2]:
                for st in (["midpoint", "heun"] if order == 2 else ["midpoint"]):
                    for final in (["zero", "sigma_min"] if algo == "sde-dpmsolver++" else ["sigma_min"]):
                        configs.append(dict(numInferenceSteps=10, order=order, algorithm=algo, solverType=st, finalSigmasType=final))
        for cfg in configs:
            basic = cfg.get("numInferenceSteps") == 10 and cfg.get("order") == 2 and len(cfg) <= 5
            for pred in (["epsilon", "sample", "v"] if basic else ["epsilon"]):
                ts, traj, sigmas = run_dpm_diffusers(ac, cfg, pred)
                extra = dict(seed=NOISE_SEED) if cfg.get("algorithm", "").startswith("sde") else {}
                cases.append(case(f"dpm-solver diffusers {sname} {cfg} {pred}", sopts, dict(cfg, grid="discrete"), pred, ts, traj,
                                  sigmas=arr(sigmas), **extra))
    # cosine schedule with lambda_min_clipped (DeepFloyd IF: -5.1) and Lu lambdas
    copts = dict(betaSchedule="squaredcos_cap_v2")
    _, acc = schedule_from(copts)
    for cfg in [dict(numInferenceSteps=10, order=2, lambdaMinClipped=-5.1),
                dict(numInferenceSteps=10, order=3, lambdaMinClipped=-5.1, timestepSpacing="trailing"),
                dict(numInferenceSteps=10, order=2, lambdaMinClipped=-5.1, useLuLambdas=True)]:
        ts, traj, sigmas = run_dpm_diffusers(acc, cfg, "epsilon")
        cases.append(case(f"dpm-solver diffusers squaredcos_cap_v2 {cfg}", copts, dict(cfg, grid="discrete"), "epsilon",
                          ts, traj, sigmas=arr(sigmas)))
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        for cfg in [dict(numInferenceSteps=10, order=2, useLuLambdas=True),
                    dict(numInferenceSteps=10, order=3, useLuLambdas=True, finalSigmasType="sigma_min")]:
            ts, traj, sigmas = run_dpm_diffusers(ac, cfg, "epsilon")
            cases.append(case(f"dpm-solver diffusers {sname} {cfg}", sopts, dict(cfg, grid="discrete"), "epsilon",
                              ts, traj, sigmas=arr(sigmas)))
    # zero terminal SNR (alpha-bar_999 = 2^-24, sigma_K = 4096) with trailing spacing and v prediction
    zopts = dict(SCHEDULES["scaled_linear"], rescaleBetasZeroSnr=True)
    _, acz = schedule_from(zopts)
    for order in [2, 3]:
        cfg = dict(numInferenceSteps=10, order=order, timestepSpacing="trailing")
        ts, traj, sigmas = run_dpm_diffusers(acz, cfg, "v")
        cases.append(case(f"dpm-solver diffusers scaled_linear+zero_snr trailing order={order} v", zopts, dict(cfg, grid="discrete"), "v",
                          ts, traj, sigmas=arr(sigmas)))
    return cases


def gen_dpm_continuous():
    cases = []
    for sname, sopts in SCHEDULES.items():
        _, ac = schedule_from(sopts)
        ns = NoiseScheduleVP("discrete", alphas_cumprod=ac)
        for method in ["multistep", "singlestep"]:
            for order in ([1, 2, 3] if method == "multistep" else [2, 3]):
                for algo in ["dpmsolver++", "dpmsolver"]:
                    for skip in ["logSNR", "time_uniform"]:
                        for steps in [6, 10, 11] if method == "singlestep" else [4, 10, 12]:
                            for st in (["dpmsolver", "taylor"] if order > 1 and steps == 10 else ["dpmsolver"]):
                                ref = DPMSolverRef(ns, "epsilon", algo)
                                times, traj = ref.sample(X_T.copy(), steps, order, skip, method, True, st)
                                cfg = dict(grid="continuous", method=method, order=order, algorithm=algo, skipType=skip,
                                           numInferenceSteps=steps, solverType="midpoint" if st == "dpmsolver" else "heun")
                                cases.append(case(f"dpm_solver_pytorch {sname} {method} order={order} {algo} {skip} steps={steps} {st}",
                                                  sopts, cfg, "epsilon", times, traj))
        for pred in ["sample", "v"]:
            ref = DPMSolverRef(ns, pred, "dpmsolver++")
            times, traj = ref.sample(X_T.copy(), 10, 2, "logSNR", "multistep")
            cfg = dict(grid="continuous", method="multistep", order=2, skipType="logSNR", numInferenceSteps=10)
            cases.append(case(f"dpm_solver_pytorch {sname} multistep 2 logSNR {pred}", sopts, cfg, pred, times, traj))
        # dynamic thresholding is a data-prediction corrector: the reference applies correcting_x0_fn only in
        # data_prediction_fn ("valid only when use dpmsolver++"), so only dpmsolver++ has a reference behaviour
        for algo in ["dpmsolver++"]:
            ref = DPMSolverRef(ns, "epsilon", algo, thresholding=True, ratio=0.995, max_val=1.2)
            times, traj = ref.sample(X_T.copy(), 10, 3, "time_uniform", "multistep")
            cfg = dict(grid="continuous", method="multistep", order=3, algorithm=algo, skipType="time_uniform", numInferenceSteps=10,
                       thresholding=True, sampleMaxValue=1.2)
            cases.append(case(f"dpm_solver_pytorch {sname} multistep 3 thresholding {algo}", sopts, cfg, "epsilon", times, traj))
        ref = DPMSolverRef(ns, "epsilon", "dpmsolver++")
        times, traj = ref.sample(X_T.copy(), 12, 3, "time_uniform", "multistep", lower_order_final=False)
        cfg = dict(grid="continuous", method="multistep", order=3, skipType="time_uniform", numInferenceSteps=12, lowerOrderFinal=False)
        cases.append(case(f"dpm_solver_pytorch {sname} multistep 3 lower_order_final=False", sopts, cfg, "epsilon", times, traj))
        for extra in [dict(method="multistep", order=2, skipType="time_quadratic"),
                      dict(method="singlestep_fixed", order=2, skipType="logSNR"),
                      dict(method="singlestep_fixed", order=3, skipType="time_uniform", solverType="heun"),
                      dict(method="multistep", order=3, skipType="logSNR", denoiseToZero=True),
                      dict(method="singlestep", order=3, skipType="time_uniform", denoiseToZero=True)]:
            ref = DPMSolverRef(ns, "epsilon", "dpmsolver++")
            st = "taylor" if extra.get("solverType") == "heun" else "dpmsolver"
            times, traj = ref.sample(X_T.copy(), 10, extra["order"], extra["skipType"], extra["method"], True, st,
                                     denoise_to_zero=extra.get("denoiseToZero", False))
            cfg = dict(grid="continuous", numInferenceSteps=10, **extra)
            cases.append(case(f"dpm_solver_pytorch {sname} {extra}", sopts, cfg, "epsilon", times, traj))
        for algo in ["dpmsolver++", "dpmsolver"]:
            for order in [2, 3]:
                ref = DPMSolverRef(ns, "epsilon", algo)
                traj = ref.adaptive(X_T.copy(), order, ns.T, 1.0 / ns.total_N)
                cfg = dict(grid="continuous", method="adaptive", order=order, algorithm=algo)
                cases.append(case(f"dpm_solver_pytorch {sname} adaptive order={order} {algo}", sopts, cfg, "epsilon",
                                  [ns.T, 1.0 / ns.total_N], traj, tolerance=ADAPTIVE_TOLERANCE))
    # the continuous linear VP-SDE (NoiseScheduleVP('linear')): model time is t itself
    ns = NoiseScheduleVP("linear")
    for method, order in [("multistep", 2), ("multistep", 3), ("singlestep", 3)]:
        ref = DPMSolverRef(ns, "epsilon", "dpmsolver++")
        times, traj = ref.sample(X_T.copy(), 10, order, "logSNR", method)
        cfg = dict(grid="continuous", method=method, order=order, skipType="logSNR", numInferenceSteps=10)
        cases.append(case(f"dpm_solver_pytorch vp-linear {method} order={order} logSNR", {"continuous": "vp-linear"}, cfg, "epsilon", times, traj))
    ref = DPMSolverRef(ns, "epsilon", "dpmsolver++")
    traj = ref.adaptive(X_T.copy(), 3, ns.T, 1e-3)
    cases.append(case("dpm_solver_pytorch vp-linear adaptive order=3", {"continuous": "vp-linear"},
                      dict(grid="continuous", method="adaptive", order=3), "epsilon", [ns.T, 1e-3], traj,
                      tolerance=ADAPTIVE_TOLERANCE))
    # the older reference's continuous cosine schedule (T = 0.9946)
    ns = NoiseScheduleVP("cosine")
    for method, order, skip in [("multistep", 2, "logSNR"), ("multistep", 3, "time_uniform"), ("singlestep", 2, "logSNR")]:
        ref = DPMSolverRef(ns, "epsilon", "dpmsolver++")
        times, traj = ref.sample(X_T.copy(), 10, order, skip, method)
        cfg = dict(grid="continuous", method=method, order=order, skipType=skip, numInferenceSteps=10)
        cases.append(case(f"dpm_solver_pytorch vp-cosine {method} order={order} {skip}", {"continuous": "vp-cosine"}, cfg, "epsilon", times, traj))
    return cases


def gen_lcm():
    cases = []
    sopts = dict(betaSchedule="scaled_linear", betaStart=0.00085, betaEnd=0.012)
    _, ac = schedule_from(sopts)
    for n in [1, 2, 4, 8]:
        for pred in ["epsilon", "sample", "v"]:
            cfg = dict(numInferenceSteps=n)
            ts, traj = run_lcm(ac, cfg, pred, np.random.RandomState(NOISE_SEED))
            _, noisy = run_lcm(ac, cfg, pred, np.random.RandomState(NOISE_SEED), final_noise_bug=True)
            cases.append(case(f"lcm N={n} {pred}", sopts, cfg, pred, ts, traj, seed=NOISE_SEED, buggyFinal=arr(noisy[-1])))
    for extra in [dict(clipSample=True), dict(thresholding=True, sampleMaxValue=1.5), dict(timestepScaling=5.0),
                  dict(strength=0.5), dict(originalInferenceSteps=25)]:
        cfg = dict(numInferenceSteps=4, **extra)
        ts, traj = run_lcm(ac, cfg, "epsilon", np.random.RandomState(NOISE_SEED))
        cases.append(case(f"lcm N=4 {extra}", sopts, cfg, "epsilon", ts, traj, seed=NOISE_SEED))
    _, acl = make_schedule("linear")
    cfg = dict(numInferenceSteps=4)
    ts, traj = run_lcm(acl, cfg, "epsilon", np.random.RandomState(NOISE_SEED))
    cases.append(case("lcm linear N=4", dict(betaSchedule="linear"), cfg, "epsilon", ts, traj, seed=NOISE_SEED))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    common = dict(batch=B, dimension=D, xT=arr(X_T), noiseSeed=NOISE_SEED,
                  noise=arr(np.random.RandomState(NOISE_SEED).standard_normal(4 * B * D)))
    files = {
        "common.json": common,
        "schedules.json": gen_schedules(),
        "ddim.json": gen_ddim(),
        "ddpm.json": gen_ddpm(),
        "pndm.json": gen_pndm(),
        "dpm-solver-discrete.json": gen_dpm_discrete(),
        "dpm-solver-continuous.json": gen_dpm_continuous(),
        "lcm.json": gen_lcm(),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        if isinstance(data, list):
            print(f"{name}: {len(data)} trajectory cases")
        elif name != "common.json":
            print(f"{name}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))


if __name__ == "__main__":
    main()
